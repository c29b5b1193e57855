// axe-core on pages with the widget, left-to-right and right-to-left, with a conversation on screen (links,
// quick-reply buttons): the Karlstad example page with the launcher open (desktop and 360 px), its Arabic version
// (a right-to-left page), the inline example page, and Lotsen's own page. Then the layout at 360 px: nothing wider
// than the screen, the chat, its message box and send button inside it. The pytest side asserts no serious or
// critical violation.
// Environment: HOST_URL, APP_URL.
import { ask, axe, chooseLanguage, env, newVisitor, openLauncher, openPage, scenario, PHONE } from "./widget_lib.mjs";

async function layout(page) {
  return page.evaluate(() => {
    const inside = (element) => {
      const box = element.getBoundingClientRect();
      return box.left >= 0 && box.right <= window.innerWidth + 0.5 && box.width > 0 && box.height > 0 &&
        box.top >= 0 && box.bottom <= window.innerHeight + 0.5;
    };
    const panel = document.querySelector(".lotsen");
    return {
      viewport: window.innerWidth, pageWidth: document.documentElement.scrollWidth,
      panelWidth: Math.round(panel.getBoundingClientRect().width),
      panelInside: inside(panel), inputInside: inside(panel.querySelector(".lotsen__input")),
      sendInside: inside(panel.querySelector(".lotsen__send")),
      widestMessage: Math.max(0, ...Array.from(panel.querySelectorAll("li")).map((li) => li.scrollWidth - li.clientWidth)),
    };
  });
}

await scenario(async (browser) => {
  const host = env("HOST_URL");
  const results = [];
  const layouts = {};

  // The launcher page, desktop: Swedish (LTR), then Arabic (RTL).
  const visitor = await newVisitor(browser);
  const page = await openPage(visitor, `${host}/karlstad.html`);
  results.push(await axe(page, "launcher closed, ltr"));
  await openLauncher(page);
  await ask(page, "Är SFI gratis?", "karlstad.se");
  await ask(page, "Gör min checklista", "EU");  // ends with quick-reply buttons
  results.push(await axe(page, "launcher open, ltr"));
  await page.locator(".lotsen__fresh").click();  // a new conversation (the checklist would take the next answers)
  await chooseLanguage(page, "ar");
  await ask(page, "كيف أحصل على رقم شخصي في السويد؟", "skatteverket.se");
  await ask(page, "عطيني قائمة المهام");  // the checklist, in Arabic: right-to-left buttons
  results.push(await axe(page, "launcher open, rtl"));
  const rtlChoices = await page.locator(".lotsen__choice").count();

  // The Arabic page (right-to-left itself): the launcher in its end corner, the chat in Arabic.
  const arabic = await openPage(await newVisitor(browser, { locale: "ar" }), `${host}/karlstad-ar.html`);
  await openLauncher(arabic);
  await ask(arabic, "هل دورة اللغة السويدية SFI مجانية؟", "karlstad.se");
  results.push(await axe(arabic, "launcher open, rtl page"));

  // The same at 360 px: its own visitor, in Arabic.
  const phone = await newVisitor(browser, { viewport: PHONE });
  const small = await openPage(phone, `${host}/karlstad.html`);
  await openLauncher(small);
  await chooseLanguage(small, "ar");
  await ask(small, "هل دورة اللغة السويدية SFI مجانية؟", "karlstad.se");
  layouts.launcher_360_rtl = await layout(small);
  results.push(await axe(small, "launcher open, rtl, 360 px"));

  // Inline, on the Östersund example page: English, then Arabic; at 360 px as well.
  const reader = await newVisitor(browser, { locale: "en-GB" });
  const inline = await openPage(reader, `${host}/ostersund.html`);
  await ask(inline, "How do I get a Swedish personal identity number?", "skatteverket.se");
  results.push(await axe(inline, "inline, ltr"));
  await chooseLanguage(inline, "ar");
  results.push(await axe(inline, "inline, rtl"));
  const narrow = await newVisitor(browser, { viewport: PHONE, locale: "en-GB" });
  const inlineSmall = await openPage(narrow, `${host}/ostersund.html`);
  await ask(inlineSmall, "Is SFI free?", "ostersund.se");
  layouts.inline_360_ltr = await layout(inlineSmall);

  // Lotsen's own page (inline), where axe used to find the <ol role="log"> ("listitem").
  const own = await openPage(await newVisitor(browser, { locale: "en-GB" }), `${env("APP_URL")}/`);
  await ask(own, "How do I get a Swedish personal identity number?", "skatteverket.se");
  results.push(await axe(own, "own page, ltr"));
  await chooseLanguage(own, "ar");
  results.push(await axe(own, "own page, rtl"));
  const ownPage = await own.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

  return { results, layouts, own_page: ownPage, rtl_choices: rtlChoices };
});
