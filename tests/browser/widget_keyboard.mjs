// The widget with the keyboard alone, on the Karlstad example page (launcher mode): Tab to the corner button, open
// it (focus goes to the message box), type and send, choose a quick-reply button (focus comes back to the message
// box), send with the send button, the order of every stop in the open chat, close with the close button and with
// Escape (focus back on the corner button). Every stop must show a visible focus indicator. Then the inline
// example page: the first Tab into the chat goes to its first control (the language), not to the send button.
// Environment: HOST_URL.
import { env, focused, newVisitor, openPage, scenario, shortName, step, waitForReply, BOT } from "./widget_lib.mjs";

await scenario(async (browser) => {
  const host = env("HOST_URL");
  const visitor = await newVisitor(browser);
  const page = await openPage(visitor, `${host}/karlstad.html`);
  const stops = [];  // every element that got the focus, with whether its focus indicator showed
  async function press(key) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (now) stops.push({ key, stop: shortName(now), inWidget: now.inWidget, visible: now.visibleOutline && now.focusVisible, outline: now.outline });
    return now;
  }

  // 1. From the top of the page to the corner button.
  const toLauncher = [];
  for (let i = 0; i < 15; i++) {
    const now = await press("Tab");
    toLauncher.push(shortName(now));
    if (shortName(now) === "launcher") break;
  }
  // 2. Open it: the focus goes to the message box.
  const opened = shortName(await press("Enter"));
  const expanded = await page.locator(".lotsen__launcher").getAttribute("aria-expanded");

  // 3. Type and send with Enter; the answer offers buttons.
  let before = await page.locator(BOT).count();
  await page.keyboard.type("Gör min checklista");
  await page.keyboard.press("Enter");
  const offer = await waitForReply(page, before);
  const choices = await page.locator(".lotsen__choice").allTextContents();

  // 4. Back from the message box to the buttons, choose the first one; the focus comes back to the message box.
  const backwards = [];
  let current = null;
  for (let i = 0; i < choices.length; i++) {
    current = await press("Shift+Tab");
    backwards.push(`${shortName(current)}:${current.name}`);
  }
  before = await page.locator(BOT).count();
  await page.keyboard.press("Enter");
  const afterChoice = shortName(await focused(page));
  const next = await waitForReply(page, before);
  const chosen = await page.locator("li.lotsen__msg--user").last().textContent();

  // 5. Every stop of the open chat, walking back from the message box to the corner button.
  const order = [];
  for (let i = 0; i < 25; i++) {
    const now = await press("Shift+Tab");
    order.unshift(shortName(now));
    if (shortName(now) === "launcher") break;
  }
  step(`order ${order.join(" > ")}`);

  // 6. Forward again to the message box; type, go on to the send button and send with it.
  for (let i = 0; i < 25; i++) {
    if (shortName(await press("Tab")) === "input") break;
  }
  await page.keyboard.type("Tack så mycket");
  const onSend = shortName(await press("Tab"));
  before = await page.locator(BOT).count();
  await page.keyboard.press("Enter");
  const thanks = await waitForReply(page, before);
  const sentWithButton = await page.locator("li.lotsen__msg--user").last().textContent();

  // 7. Close with the close button: the focus goes back to the corner button.
  for (let i = 0; i < 25; i++) {
    if (shortName(await press("Shift+Tab")) === "close") break;
  }
  const onClose = shortName(await focused(page));
  await page.keyboard.press("Enter");
  const afterClose = { focus: shortName(await focused(page)), hidden: await page.locator(".lotsen").isHidden(),
                       expanded: await page.locator(".lotsen__launcher").getAttribute("aria-expanded") };
  // 8. Open again and close with Escape.
  const reopened = shortName(await press("Enter"));
  await page.keyboard.press("Escape");
  const afterEscape = { focus: shortName(await focused(page)), hidden: await page.locator(".lotsen").isHidden() };

  // 9. Inline mode: the first Tab into the chat.
  const inline = await visitor.newPage();
  await inline.goto(`${host}/ostersund.html`);
  await inline.waitForFunction(() => !!localStorage.getItem("lotsen.session"));
  const inlineOrder = [];
  for (let i = 0; i < 10; i++) {  // room for the buttons of a restored reply before the message box
    await inline.keyboard.press("Tab");
    const now = await focused(inline);
    inlineOrder.push(shortName(now));
    if (now) stops.push({ key: "Tab (inline)", stop: shortName(now), inWidget: now.inWidget, visible: now.visibleOutline && now.focusVisible, outline: now.outline });
  }
  step(`inline ${inlineOrder.join(" > ")}`);

  return { to_launcher: toLauncher, opened, expanded, offer, choices, backwards, after_choice: afterChoice, next,
           chosen, order, on_send: onSend, thanks, sent_with_button: sentWithButton, on_close: onClose,
           after_close: afterClose, reopened, after_escape: afterEscape, inline_order: inlineOrder, stops };
});
