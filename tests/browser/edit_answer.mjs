// a) An editor changes the German answer of the topic `sfi` in the admin; on the chat page, a person who chose
//    Deutsch asks about SFI and gets the new text — no retraining, no restart.
// Environment: APP_URL, EDITOR_EMAIL, EDITOR_PASSWORD, NEW_ANSWER (the new German answer), QUESTION.
import { chooseLanguage, env, newPerson, openChat, say, scenario, signIn, step } from "./lib.mjs";

await scenario(async (browser) => {
  const appUrl = env("APP_URL");
  const newAnswer = env("NEW_ANSWER");

  const editor = await newPerson(browser);
  const admin = await signIn(editor, appUrl, env("EDITOR_EMAIL"), env("EDITOR_PASSWORD"));
  await Promise.all([admin.waitForURL(/\/admin\/faq\/sfi$/), admin.getByRole("link", { name: "sfi", exact: true }).click()]);
  const answer = admin.getByRole("textbox", { name: "Answer (de)" });
  const oldAnswer = await answer.inputValue();
  await answer.fill(newAnswer);
  await Promise.all([admin.waitForURL(/saved=/), admin.getByRole("button", { name: "Save (de)" }).click()]);
  step("saved the German answer");
  const saved = await admin.getByRole("status").textContent();
  const preview = await admin.getByTestId("preview").textContent();
  const stored = await admin.getByRole("textbox", { name: "Answer (de)" }).inputValue();

  const person = await newPerson(browser);
  const page = await openChat(person, appUrl);
  const { confirmation, pageLanguage } = await chooseLanguage(page, "Deutsch");
  const reply = await say(page, env("QUESTION"), newAnswer);
  return { old_answer: oldAnswer, saved, stored, preview, confirmation, page_language: pageLanguage, reply };
});
