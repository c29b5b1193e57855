// b) A municipal editor for Karlstad adds an English local note under the answer `sfi`; a Karlstad user on the
//    chat page sees it under the answer. The editor is refused another municipality's page and may open their own.
// Environment: APP_URL, MUNICIPAL_EMAIL, MUNICIPAL_PASSWORD, NOTE, OWN (slug), OTHER (slug), SAY (JSON list of
// messages, the last one the question).
import { env, newPerson, openChat, say, scenario, signIn, step } from "./lib.mjs";

await scenario(async (browser) => {
  const appUrl = env("APP_URL");
  const note = env("NOTE");

  const editor = await newPerson(browser);
  const admin = await signIn(editor, appUrl, env("MUNICIPAL_EMAIL"), env("MUNICIPAL_PASSWORD"));
  await admin.goto(`${appUrl}/admin/faq/sfi`);
  const heading = await admin.getByRole("heading", { name: /Local notes for/ }).textContent();
  await admin.getByRole("textbox", { name: "Note (en)" }).fill(note);
  await Promise.all([admin.waitForURL(/saved=/), admin.getByRole("button", { name: "Save note (en)" }).click()]);
  step("saved the local note");
  const saved = await admin.getByRole("status").textContent();
  const stored = await admin.getByRole("textbox", { name: "Note (en)" }).inputValue();
  const preview = await admin.getByTestId("preview").textContent();

  const person = await newPerson(browser);
  const page = await openChat(person, appUrl);
  const messages = JSON.parse(env("SAY"));
  const replies = [];
  for (const [i, text] of messages.entries()) {
    replies.push(await say(page, text, i === messages.length - 1 ? note : undefined));
  }

  const pages = {};
  for (const slug of [env("OTHER"), env("OWN")]) {
    const response = await admin.goto(`${appUrl}/admin/municipalities/${slug}`);
    pages[slug] = { status: response.status(), heading: await admin.getByRole("heading", { level: 1 }).textContent(),
                    alert: await admin.getByRole("alert").allTextContents(),
                    forms: await admin.locator("form.service").count() };
    step(`opened /admin/municipalities/${slug}: ${response.status()}`);
  }
  return { heading, saved, stored, preview, replies, pages };
});
