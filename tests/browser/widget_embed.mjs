// The widget embedded with one script tag on a municipality's page from another origin (the Karlstad example page,
// docs/embed-example/karlstad.html, launcher mode, Swedish): a visitor opens it, picks Arabic, asks a question and
// gets a right-to-left reply naming the authority; a question about SFI gets Karlstad's pages without naming the
// town (the site's municipality is the default place). A reload and a new tab keep the conversation; markup typed
// by the visitor stays text; "New conversation" starts afresh and forgets the old one in this browser (the other
// tab follows). The same page from an origin that is not allowed gets no chat.
// Environment: HOST_URL (an allowed origin serving the example pages), OTHER_URL (an origin not allowed).
import { ask, chooseLanguage, env, newVisitor, openLauncher, openPage, scenario, step, widgetState, BOT, TIMEOUT } from "./widget_lib.mjs";

const MARKUP = '<img src="x" onerror="window.__lotsenInjected = true"><b>fet</b> stil';

async function messagesShown(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll("li.lotsen__msg").length >= n, count, { timeout: TIMEOUT });
}

async function storageDump(page) {
  return page.evaluate(() => ({
    local: Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])),
    session: Object.fromEntries(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)])),
  }));
}

await scenario(async (browser) => {
  const host = env("HOST_URL");
  const visitor = await newVisitor(browser);
  const page = await openPage(visitor, `${host}/karlstad.html`);
  const closed = await page.evaluate(() => ({
    pageLang: document.documentElement.lang,
    launcher: !!document.querySelector(".lotsen__launcher"),
    expanded: document.querySelector(".lotsen__launcher").getAttribute("aria-expanded"),
    panelHidden: document.querySelector(".lotsen").hidden,
    launcherName: document.querySelector(".lotsen__launcher").textContent,
  }));
  await openLauncher(page);
  const swedish = await widgetState(page);

  const confirmation = await chooseLanguage(page, "ar");
  const question = "كيف أحصل على رقم شخصي في السويد؟";
  const reply = await ask(page, question, "skatteverket.se");
  const arabic = await widgetState(page);
  const sfi = await ask(page, "هل دورة اللغة السويدية SFI مجانية؟", "karlstad.se");
  const beforeReload = await widgetState(page);

  await page.reload();
  await messagesShown(page, beforeReload.messages.length);
  const afterReload = await widgetState(page);
  step("reloaded");

  const second = await visitor.newPage();
  await second.goto(`${host}/karlstad.html`);
  await openLauncher(second);
  await messagesShown(second, beforeReload.messages.length);
  const secondTab = await widgetState(second);
  step("opened a second tab");

  // Typed markup is shown as the visitor wrote it; nothing of it becomes an element.
  const before = await page.locator(BOT).count();
  await ask(page, MARKUP);
  const markup = await page.evaluate(() => {
    const users = Array.from(document.querySelectorAll("li.lotsen__msg--user"));
    return { shown: users[users.length - 1].textContent, injected: window.__lotsenInjected === true,
             elements: document.querySelectorAll(".lotsen__list img, .lotsen__list b, .lotsen__list script").length };
  });
  markup.replied = (await page.locator(BOT).count()) > before;
  // The second tab shows what was typed in the first one, and the reply.
  await second.waitForFunction((text) => Array.from(document.querySelectorAll("li.lotsen__msg--user"))
    .some((li) => li.textContent.includes(text)), "fet", { timeout: TIMEOUT });
  markup.secondTab = (await widgetState(second)).messages.slice(-3);

  // "New conversation": a fresh session; the old one is forgotten in this browser, and the other tab follows.
  const oldSession = arabic.session;
  await page.locator(".lotsen__fresh").click();
  await page.waitForFunction((old) => {
    const id = localStorage.getItem("lotsen.session");
    return id && id !== old;
  }, oldSession, { timeout: TIMEOUT });
  const fresh = await widgetState(page);
  const freshStatus = await page.locator(".lotsen__status").textContent();
  const introVisible = await page.locator(".lotsen__intro").isVisible();
  const storage = await storageDump(page);
  await second.waitForFunction((id) => localStorage.getItem("lotsen.session") === id &&
    document.querySelectorAll("li.lotsen__msg").length === 0, fresh.session, { timeout: TIMEOUT });
  const secondAfterFresh = await widgetState(second);
  await page.reload();
  await page.locator(".lotsen").waitFor({ state: "visible" });
  await page.waitForTimeout(1500);
  const freshAfterReload = await widgetState(page);
  const freshReply = await ask(page, "Is SFI free?", "karlstad.se");
  step("new conversation");

  // An origin that is not in CORS_ORIGINS: the browser refuses the widget's API, so no chat appears.
  const stranger = await newVisitor(browser);
  const refused = await stranger.newPage();
  const warnings = [];
  refused.on("console", (message) => warnings.push(`${message.type()}: ${message.text()}`));
  await refused.goto(`${env("OTHER_URL")}/karlstad.html`);
  await refused.waitForFunction(() => !!window.LotsenWidget, null, { timeout: TIMEOUT });
  await refused.waitForTimeout(4000);
  const other = await refused.evaluate(() => ({
    widget: document.querySelectorAll(".lotsen-w").length, session: localStorage.getItem("lotsen.session"),
  }));
  other.warnings = warnings;
  step("opened the page from an origin that is not allowed");

  return { closed, swedish, confirmation, question, reply, arabic, sfi, before_reload: beforeReload,
           after_reload: afterReload, second_tab: secondTab, markup, old_session: oldSession, fresh,
           fresh_status: freshStatus, intro_visible: introVisible, storage, second_after_fresh: secondAfterFresh,
           fresh_after_reload: freshAfterReload, fresh_reply: freshReply, other };
});
