// Shared by the browser scenarios: Debian's Chromium driven by playwright-core (which downloads no browser),
// signing in to the admin and talking on the chat page the way a person does (keyboard and mouse, real pages).
//
// Every scenario prints ONE line of JSON on stdout — {"ok": true, ...what it saw} or {"ok": false, "error",
// "steps"} — and exits 0 or 1; tests/browser/test_admin_browser.py runs it and asserts on that line.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const TIMEOUT = Number(process.env.BROWSER_TIMEOUT_MS || 60000);  // generous: 2 shared cores
export const REPLY_TIMEOUT = Number(process.env.REPLY_TIMEOUT_MS || 90000);
export const VIEWPORT = { width: 1280, height: 800 };

export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const steps = [];
const problems = [];  // script errors and console errors on any page (the tests fail on script errors)
const started = Date.now();

export function step(name) {
  steps.push({ step: name, at_ms: Date.now() - started });
}

// Runs a scenario: launches Chromium, gives `main` the browser, prints the outcome as one JSON line. On a failure,
// every open page is saved as a PNG in ARTIFACT_DIR (when set) to see what the browser saw.
export async function scenario(main) {
  let browser;
  let outcome;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const result = await main(browser);
    outcome = { ok: true, ...result, problems, steps, elapsed_ms: Date.now() - started };
  } catch (error) {
    outcome = { ok: false, error: String(error && error.stack || error), problems, steps,
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
      const path = join(dir, `failure-${++n}.png`);
      await page.screenshot({ path, fullPage: true, timeout: 10000 });
      saved.push({ path, url: page.url() });
    }
  }
  return saved;
}

// A fresh browser profile (own cookies and localStorage) for one person, in English (Accept-Language, navigator).
export async function newPerson(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: "en-GB", timezoneId: "Europe/Stockholm" });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  context.on("page", (page) => {
    page.on("pageerror", (error) => problems.push({ url: page.url(), pageerror: String(error) }));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push({ url: page.url(), console: message.text() });
    });
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push({ url: response.url(), status: response.status() });
    });
  });
  return context;
}

// --- the admin ---------------------------------------------------------------------------------------------

export async function signIn(context, appUrl, email, password) {
  const page = await context.newPage();
  await page.goto(`${appUrl}/admin/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([
    page.waitForURL(/\/admin\/faq$/),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  step(`signed in as ${email}`);
  return page;
}

// --- the chat page -----------------------------------------------------------------------------------------

const BOT = "#lotsen-log li.lotsen__msg--bot";

// Opens the chat page and waits until the widget has its conversation (socket.io session confirmed).
export async function openChat(context, appUrl) {
  const page = await context.newPage();
  await page.goto(`${appUrl}/`);
  await page.waitForFunction(() => !!window.localStorage.getItem("lotsen.session"), null, { timeout: TIMEOUT });
  step("chat page connected");
  return page;
}

async function botTexts(page) {
  return page.locator(BOT).allTextContents();
}

// Waits, by polling the page, until at least one bot message after the first `before` ones arrived and — when
// `expected` is given (a text or a list of texts) — until those messages contain every expected text. Returns the
// new messages' text (whatever arrived by the deadline; the caller asserts on it).
async function waitForReply(page, before, expected, timeout = REPLY_TIMEOUT) {
  const texts = expected === undefined ? [] : [].concat(expected);
  try {
    await page.waitForFunction(([selector, count, wanted]) => {
      const fresh = Array.from(document.querySelectorAll(selector)).slice(count).map((m) => m.textContent).join("\n\n");
      return fresh.length > 0 && wanted.every((text) => fresh.includes(text));
    }, [BOT, before, texts], { timeout, polling: 200 });
  } catch (error) {
    if (!String(error).includes("Timeout")) throw error;
    step(`no reply${texts.length ? ` with ${JSON.stringify(texts)}` : ""} within ${timeout} ms`);
  }
  await settle(page);  // the rest of the turn (source line, local pages) comes as further messages
  return (await botTexts(page)).slice(before).join("\n\n");
}

// All messages of one bot turn arrive within moments of each other: wait until the count stays the same for
// a second (polled), so the reply is whole and the next question's reply does not start with this turn's tail.
async function settle(page, quietMs = 1000, timeout = 15000) {
  const deadline = Date.now() + timeout;
  let count = await page.locator(BOT).count();
  let since = Date.now();
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    await page.waitForTimeout(200);
    const now = await page.locator(BOT).count();
    if (now !== count) { count = now; since = Date.now(); }
  }
}

// Types a message into the chat box, sends it with Enter, and returns the reply (see waitForReply for `expected`).
export async function say(page, text, expected) {
  const before = await page.locator(BOT).count();
  const input = page.locator("#lotsen-input");  // its label follows the conversation's language
  await input.click();
  await input.fill(text);
  await input.press("Enter");
  const reply = await waitForReply(page, before, expected);
  step(`said ${JSON.stringify(text)}`);
  return reply;
}

// Chooses a language in the widget's picker (its visible name, e.g. "Deutsch"), as a person does with the mouse;
// the assistant confirms in that language. Returns the confirmation and the page's language afterwards.
export async function chooseLanguage(page, name) {
  const before = await page.locator(BOT).count();
  await page.getByRole("combobox", { name: /Language/ }).selectOption({ label: name });
  const confirmation = await waitForReply(page, before);
  const pageLanguage = await page.evaluate(() => document.documentElement.lang);
  step(`chose ${name}`);
  return { confirmation, pageLanguage };
}
