// c) An editor adds a new topic in the admin (English answer and example questions); before any publish, a
//    person on the chat page asks in other words and gets the new answer (retrieval on the example questions).
// Environment: APP_URL, EDITOR_EMAIL, EDITOR_PASSWORD, TOPIC (JSON: key, category, authority, source_url,
// answer, questions), QUESTION.
import { env, newPerson, openChat, say, scenario, signIn, step } from "./lib.mjs";

await scenario(async (browser) => {
  const appUrl = env("APP_URL");
  const topic = JSON.parse(env("TOPIC"));

  const editor = await newPerson(browser);
  const admin = await signIn(editor, appUrl, env("EDITOR_EMAIL"), env("EDITOR_PASSWORD"));
  await Promise.all([admin.waitForURL(/\/admin\/topics\/new$/), admin.getByRole("link", { name: "New topic" }).click()]);
  const today = await admin.evaluate(() => new Date().toLocaleDateString("sv-SE"));  // YYYY-MM-DD, local date
  await admin.getByLabel("Key (lower-case letters, digits, _)").fill(topic.key);
  await admin.getByLabel("Category").fill(topic.category);
  await admin.getByLabel("Authority", { exact: true }).fill(topic.authority);
  await admin.getByLabel("Official source page").fill(topic.source_url);
  await admin.getByLabel("Reviewed on").fill(today);
  await admin.getByRole("textbox", { name: "Answer (en)" }).fill(topic.answer);
  await admin.getByRole("textbox", { name: "Example questions, one per line (en)" }).fill(topic.questions.join("\n"));
  await Promise.all([admin.waitForURL(new RegExp(`/admin/faq/${topic.key}\\b`)),
                     admin.getByRole("button", { name: "Create topic" }).click()]);
  step("created the topic");
  const created = {
    url: admin.url(),
    heading: await admin.getByRole("heading", { level: 1 }).textContent(),
    answer: await admin.getByRole("textbox", { name: "Answer (en)" }).inputValue(),
    waiting: await admin.getByRole("heading", { name: /Example questions/ }).textContent(),
    reviewed_on: await admin.getByLabel("Reviewed on").inputValue(),
  };

  const person = await newPerson(browser);
  const page = await openChat(person, appUrl);
  const site = new URL(topic.source_url).hostname.replace(/^www\./, "");  // how the chat page shows the source
  const reply = await say(page, env("QUESTION"), [topic.answer, site]);
  return { today, created, reply };
});
