// Shared by the widget's browser scenarios (tests/browser/widget_*.mjs, run by test_widget_browser.py): Debian's
// Chromium driven by playwright-core (which downloads no browser), a visitor on a page that embeds the widget,
// and axe-core. Every scenario prints ONE line of JSON — {"ok": true, ...what it saw} or {"ok": false, "error",
// "steps"} — and exits 0 or 1; the pytest side asserts on that line.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const TIMEOUT = Number(process.env.BROWSER_TIMEOUT_MS || 60000);  // generous: 2 shared cores
export const REPLY_TIMEOUT = Number(process.env.REPLY_TIMEOUT_MS || 90000);
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };
export const BOT = "li.lotsen__msg--bot";

export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const steps = [];
const problems = [];   // script errors, console errors and failed responses on any page
const requests = new Set();  // the origins every page loaded anything from
const started = Date.now();

export function step(name) {
  steps.push({ step: name, at_ms: Date.now() - started });
}

export async function scenario(main) {
  let browser;
  let outcome;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const result = await main(browser);
    outcome = { ok: true, ...result, problems, origins: [...requests].sort(), steps, elapsed_ms: Date.now() - started };
  } catch (error) {
    outcome = { ok: false, error: String((error && error.stack) || error), problems, steps,
                elapsed_ms: Date.now() - started };
    if (browser && process.env.ARTIFACT_DIR) {
      outcome.artifacts = await saveOpenPages(browser, process.env.ARTIFACT_DIR).catch((e) => [String(e)]);
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
  process.stdout.write(JSON.stringify(outcome) + "\n");
  process.exitCode = outcome.ok ? 0 : 1;
}

async function saveOpenPages(browser, dir) {
  mkdirSync(dir, { recursive: true });
  const saved = [];
  let n = 0;
  for (const context of browser.contexts()) {
    for (const page of context.pages()) {
      const path = join(dir, `widget-failure-${++n}.png`);
      await page.screenshot({ path, fullPage: true, timeout: 10000 });
      saved.push({ path, url: page.url() });
    }
  }
  return saved;
}

// A visitor with their own browser profile (cookies, localStorage), in Swedish by default.
export async function newVisitor(browser, { viewport = DESKTOP, locale = "sv-SE" } = {}) {
  const context = await browser.newContext({ viewport, locale, timezoneId: "Europe/Stockholm" });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  context.on("page", (page) => {
    page.on("pageerror", (error) => problems.push({ url: page.url(), pageerror: String(error) }));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push({ url: page.url(), console: message.text() });
    });
    page.on("request", (request) => {
      const url = request.url();
      if (/^(https?|wss?):/.test(url)) requests.add(new URL(url).origin.replace(/^ws/, "http"));
    });
    page.on("websocket", (socket) => requests.add(new URL(socket.url()).origin.replace(/^ws/, "http")));
    page.on("response", (response) => {
      if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) {
        problems.push({ url: response.url(), status: response.status() });
      }
    });
  });
  return context;
}

// Opens a page with the widget and waits until it has its conversation (socket.io session confirmed).
export async function openPage(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => !!window.localStorage.getItem("lotsen.session"), null, { timeout: TIMEOUT });
  step(`opened ${url}`);
  return page;
}

export async function openLauncher(page) {
  const launcher = page.locator(".lotsen__launcher");
  if ((await launcher.getAttribute("aria-expanded")) !== "true") await launcher.click();
  await page.locator(".lotsen").waitFor({ state: "visible" });
}

export async function botTexts(page) {
  return page.locator(BOT).allTextContents();
}

// Waits until a bot message after the first `before` arrived (and, with `expected`, until the new ones contain
// it), then until the turn's messages stopped arriving. Returns the new messages' text.
export async function waitForReply(page, before, expected, timeout = REPLY_TIMEOUT) {
  try {
    await page.waitForFunction(([selector, count, text]) => {
      const fresh = Array.from(document.querySelectorAll(selector)).slice(count).map((m) => m.textContent);
      return fresh.length > 0 && (!text || fresh.join("\n\n").includes(text));
    }, [BOT, before, expected || ""], { timeout, polling: 200 });
  } catch (error) {
    if (!String(error).includes("Timeout")) throw error;
    step(`no reply${expected ? ` with ${JSON.stringify(expected)}` : ""} within ${timeout} ms`);
  }
  await settle(page);
  return (await botTexts(page)).slice(before).join("\n\n");
}

export async function settle(page, quietMs = 1200, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let count = await page.locator(BOT).count();
  let since = Date.now();
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    await page.waitForTimeout(200);
    const now = await page.locator(BOT).count();
    if (now !== count) { count = now; since = Date.now(); }
  }
}

// Types into the widget's input and sends with Enter; returns the reply.
export async function ask(page, text, expected) {
  const before = await page.locator(BOT).count();
  const input = page.locator(".lotsen__input");
  await input.fill(text);
  await input.press("Enter");
  const reply = await waitForReply(page, before, expected);
  step(`asked ${JSON.stringify(text)}`);
  return reply;
}

// Picks a language in the widget's picker (by its code); the assistant confirms in it.
export async function chooseLanguage(page, code) {
  const before = await page.locator(BOT).count();
  await page.locator(".lotsen__language").selectOption(code);
  const confirmation = await waitForReply(page, before);
  step(`chose ${code}`);
  return confirmation;
}

// What the widget shows, as the tests check it: language and direction, its own texts, the layout of the form.
export async function widgetState(page) {
  return page.evaluate(() => {
    const panel = document.querySelector(".lotsen");
    const input = panel.querySelector(".lotsen__input");
    const send = panel.querySelector(".lotsen__send");
    const label = panel.querySelector(`label[for="${input.id}"]`);
    const box = (element) => element.getBoundingClientRect();
    const messages = Array.from(panel.querySelectorAll("li.lotsen__msg")).map((li) => ({
      who: li.classList.contains("lotsen__msg--bot") ? "bot" : "user", lang: li.lang, text: li.textContent,
      direction: getComputedStyle(li).direction,
    }));
    return {
      lang: panel.lang, dir: panel.dir, pageLang: document.documentElement.lang, pageDir: document.documentElement.dir,
      inputLabel: label && label.textContent, placeholder: input.placeholder,
      inputDirection: getComputedStyle(input).direction,
      sendBeforeInput: box(send).right <= box(input).left + 1,  // the send button on the input's left (RTL)
      sendAfterInput: box(send).left >= box(input).right - 1,
      titleRightOfPicker: box(panel.querySelector(".lotsen__title")).left > box(panel.querySelector(".lotsen__language")).left,
      session: localStorage.getItem("lotsen.session"),
      messages,
      links: Array.from(panel.querySelectorAll(".lotsen__log a")).map((a) => ({
        text: a.textContent, href: a.href, rel: a.rel, target: a.target,
        description: (document.getElementById(a.getAttribute("aria-describedby") || "") || {}).textContent || null,
      })),
      choices: Array.from(panel.querySelectorAll(".lotsen__choice")).map((b) => ({
        text: b.textContent, direction: getComputedStyle(b.parentElement).direction,
      })),
      elementsInLog: Array.from(panel.querySelectorAll(".lotsen__list *")).map((e) => e.tagName.toLowerCase())
        .filter((tag, i, all) => all.indexOf(tag) === i).sort(),
    };
  });
}

// axe-core (from the npm registry, tests/browser/package.json) on the whole page; violations grouped by impact.
export async function axe(page, label) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(async () => {
    const outcome = await window.axe.run(document, { resultTypes: ["violations"] });
    return outcome.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
      targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
  });
  const byImpact = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const violation of results) byImpact[violation.impact] = (byImpact[violation.impact] || 0) + 1;
  step(`axe ${label}: ${JSON.stringify(byImpact)}`);
  return { label, byImpact, violations: results, version: await page.evaluate(() => window.axe.version) };
}

// The element that has the focus: what it is, and whether its focus indicator is visible.
export async function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const name = element.getAttribute("aria-label") || element.getAttribute("title") ||
      (element.labels && element.labels[0] && element.labels[0].textContent) || element.textContent.trim().slice(0, 40);
    return {
      tag: element.tagName.toLowerCase(), className: String(element.className || ""), name,
      inWidget: !!element.closest(".lotsen-w"),
      focusVisible: element.matches(":focus-visible"),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      visibleOutline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

export function shortName(f) {
  if (!f) return "body";
  const known = ["lotsen__launcher", "lotsen__language", "lotsen__fresh", "lotsen__close", "lotsen__log",
                 "lotsen__input", "lotsen__send", "lotsen__choice"];
  const found = known.find((k) => f.className.split(/\s+/).includes(k));
  return found ? found.replace("lotsen__", "") : `${f.tag}:${f.name}`;
}
