// Screenshots of the widget on the Karlstad example page (launcher mode), as a visitor sees it: desktop (1280 px)
// and phone (360 px), left-to-right (the Swedish page) and right-to-left (the Arabic page, karlstad-ar.html: the
// launcher in its end corner, the chat in Arabic), the launcher closed and open with a conversation. Saved as SCREENSHOT_DIR/widget-<desktop|360>-<ltr|rtl>-<closed|open>.png (docs/screenshots/ by
// `make screenshots`). Environment: HOST_URL, SCREENSHOT_DIR.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ask, env, newVisitor, openLauncher, openPage, scenario, step, DESKTOP, PHONE } from "./widget_lib.mjs";

const PAGES = { ltr: "karlstad.html", rtl: "karlstad-ar.html" };
const QUESTIONS = { ltr: ["Är SFI gratis?", "karlstad.se"], rtl: ["كيف أحصل على رقم شخصي في السويد؟", "skatteverket.se"] };

await scenario(async (browser) => {
  const host = env("HOST_URL");
  const dir = env("SCREENSHOT_DIR");
  mkdirSync(dir, { recursive: true });
  const shots = [];
  for (const [size, viewport] of [["desktop", DESKTOP], ["360", PHONE]]) {
    for (const direction of ["ltr", "rtl"]) {
      const visitor = await newVisitor(browser, { viewport });
      const page = await openPage(visitor, `${host}/${PAGES[direction]}`);
      await openLauncher(page);
      const [question, expected] = QUESTIONS[direction];
      await ask(page, question, expected);
      await page.locator(".lotsen__input").blur();
      for (const state of ["open", "closed"]) {
        if (state === "closed") {
          await page.locator(".lotsen__launcher").click();
          await page.locator(".lotsen").waitFor({ state: "hidden" });
          await page.locator(".lotsen__launcher").blur();
        }
        const name = `widget-${size}-${direction}-${state}.png`;
        await page.screenshot({ path: join(dir, name) });
        shots.push({
          name, size, direction, state, viewport: viewport.width,
          ...(await page.evaluate(() => {
            const panel = document.querySelector(".lotsen");
            const launcher = document.querySelector(".lotsen__launcher").getBoundingClientRect();
            return { panelDir: panel.dir, panelHidden: panel.hidden, pageWidth: document.documentElement.scrollWidth,
                     expanded: document.querySelector(".lotsen__launcher").getAttribute("aria-expanded"),
                     launcherSide: launcher.left < window.innerWidth / 2 ? "left" : "right" };
          })),
        });
        step(`screenshot ${name}`);
      }
      await visitor.close();
    }
  }
  return { shots };
});
