// d) A full-page screenshot (1280 px wide) of each admin page: as an editor, the accounts page as an admin, and
//    the topic page as the municipal editor sees it. Saved as SCREENSHOT_DIR/admin-<page>.png.
// Environment: APP_URL, SCREENSHOT_DIR, EDITOR_EMAIL, EDITOR_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD,
// MUNICIPAL_EMAIL, MUNICIPAL_PASSWORD.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { env, newPerson, scenario, signIn, step } from "./lib.mjs";

const EDITOR_PAGES = [
  ["faq", "/admin/faq"],
  ["faq-sfi", "/admin/faq/sfi?preview=en&municipality=Karlstad#preview"],
  ["municipalities", "/admin/municipalities"],
  ["municipality-karlstad", "/admin/municipalities/karlstad"],
  ["topic-new", "/admin/topics/new"],
  ["publish", "/admin/publish"],
  ["audit", "/admin/audit"],
  ["coverage", "/admin/coverage"],
];

await scenario(async (browser) => {
  const appUrl = env("APP_URL");
  const dir = env("SCREENSHOT_DIR");
  mkdirSync(dir, { recursive: true });
  const shots = [];

  async function shoot(page, name, path) {
    const response = path ? await page.goto(`${appUrl}${path}`) : null;
    await page.waitForLoadState("networkidle");
    const file = join(dir, `admin-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const size = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
      viewport: window.innerWidth }));
    shots.push({ name, file, url: page.url(), status: response ? response.status() : 200,
                 title: await page.title(), ...size });
    step(`screenshot ${name}`);
  }

  const visitor = await newPerson(browser);
  const login = await visitor.newPage();
  await login.goto(`${appUrl}/admin/login`);
  await shoot(login, "login");

  const editor = await signIn(await newPerson(browser), appUrl, env("EDITOR_EMAIL"), env("EDITOR_PASSWORD"));
  for (const [name, path] of EDITOR_PAGES) await shoot(editor, name, path);

  const municipal = await signIn(await newPerson(browser), appUrl, env("MUNICIPAL_EMAIL"), env("MUNICIPAL_PASSWORD"));
  await shoot(municipal, "faq-sfi-municipal", "/admin/faq/sfi");

  const admin = await signIn(await newPerson(browser), appUrl, env("ADMIN_EMAIL"), env("ADMIN_PASSWORD"));
  await shoot(admin, "accounts", "/admin/accounts");
  return { shots };
});
