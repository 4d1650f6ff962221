// The field app's pages (docs/offline.md): the quick log and the measurement form keep an entry on
// the device when there is no signal, after the same checks the server makes; the queue page
// shows what waits and what the server refused. Sending starts on page open, when the connection
// returns, every minute, and on "Send now". The words come from the page (#offline-strings).
(function () {
  "use strict";
  const stringsElement = document.getElementById("offline-strings");
  if (!stringsElement || !window.indexedDB || !window.SempreQueue) return;
  const T = JSON.parse(stringsElement.textContent);
  const Q = window.SempreQueue;
  const lang = document.documentElement.lang || undefined;
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
  const number = (value) => Number(value).toLocaleString(lang);
  const day = (iso) => new Date(iso + "T12:00:00").toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
  const today = () => {
    const now = new Date();
    const here = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
    return here > T.today ? here : T.today; // the later of the phone's and the server's date
  };
  let projects = null; // the person's own projects, as /projects/field/data.json says (kept by the service worker)

  async function fieldData() {
    if (projects) return projects;
    try {
      const response = await fetch("/projects/field/data.json", { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok && !response.redirected) projects = (await response.json()).projects;
    } catch (error) {
      projects = null;
    }
    return projects || [];
  }

  // The checks of microprojects.services, on the device: every error at once, by field.
  async function check(entry) {
    const d = entry.data;
    const errors = {};
    const add = (field, message) => (errors[field] = errors[field] || []).push(message);
    const list = await fieldData();
    const type = d.type;
    for (const field of type === "activity" ? ["project", "date", "title"] : ["indicator", "date", "value"]) {
      if (d[field] === undefined || d[field] === "") add(field, T.required);
    }
    let project = null;
    if (type === "activity") project = list.find((p) => String(p.id) === String(d.project));
    else project = list.find((p) => p.indicators.some((i) => String(i.id) === String(d.indicator)));
    if (d.date) {
      if (d.date > today()) add("date", T[type + "_future"]);
      else if (project && project.start_date && d.date < project.start_date) add("date", fmt(T[type + "_before"], { start: day(project.start_date) }));
      else if (type === "activity" && project && project.end_date && d.date > project.end_date) add("date", fmt(T.activity_after, { end: day(project.end_date) }));
    }
    if (type === "measurement" && d.value !== undefined && Number(d.value) < 0) add("value", T.measurement_negative);
    if (type === "activity") {
      const total = d.participants_total || 0;
      if (d.participants_new !== undefined && d.participants_new > total) add("participants_new", fmt(T.new_exceeds, { new: number(d.participants_new), total: number(total) }));
      for (const [fields, label] of [[T.gender_fields, T.by_gender], [T.age_fields, T.by_age]]) {
        const filled = fields.filter((f) => d[f] !== undefined).map((f) => d[f]);
        const sum = filled.reduce((a, b) => a + b, 0);
        if (filled.length && sum !== total) add(fields[0], fmt(T.breakdown, { breakdown: label, sum: number(sum), total: number(total) }));
      }
      for (const field of T.count_fields) if (d[field] < 0) add(field, T.negative);
      if (!d.confirm) {
        for (const [field, limit] of Object.entries(T.unusual_limits)) {
          if (d[field] !== undefined && Number(d[field]) > limit) add(field, fmt(T.unusual, { label: T.labels[field] || field, value: number(d[field]) }));
        }
      }
    }
    return errors;
  }

  function showErrors(form, errors) {
    form.querySelectorAll(".offline-error").forEach((el) => el.remove());
    form.querySelectorAll("[data-offline-invalid]").forEach((el) => {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-offline-invalid");
    });
    let first = null;
    for (const [field, messages] of Object.entries(errors)) {
      const input = form.elements[field];
      if (!input || input.type === "hidden") continue;
      const note = document.createElement("small");
      note.className = "offline-error";
      note.id = "offline-error-" + field;
      note.textContent = messages.join(" ");
      input.insertAdjacentElement("afterend", note);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("data-offline-invalid", "");
      input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), note.id].filter(Boolean).join(" "));
      first = first || input;
    }
    if (errors.participants_total && Object.keys(T.unusual_limits).some((f) => errors[f]) && !form.elements.confirm) {
      const label = document.createElement("label");
      label.innerHTML = '<input type="checkbox" name="confirm"> ';
      label.append(T.confirm_figures);
      form.querySelector(".form-actions").insertAdjacentElement("beforebegin", label);
    }
    if (first) first.focus();
  }

  async function status() {
    const { waiting, attention } = await Q.remember();
    const line = document.querySelector("[data-offline-status]");
    if (line) {
      const parts = [];
      if (waiting) parts.push(fmt(T.waiting, { count: number(waiting) }));
      if (attention) parts.push(fmt(T.attention_count, { count: number(attention) }));
      line.textContent = parts.join(" · ");
      line.hidden = !parts.length || Boolean(document.querySelector("[data-offline-queue]")); // the queue page says it itself
    }
    if (document.querySelector("[data-offline-queue]")) await renderQueue();
  }

  async function sendAndShow() {
    const button = document.querySelector("[data-queue-send]");
    if (button) button.setAttribute("aria-busy", "true");
    const result = await Q.send();
    if (button) button.removeAttribute("aria-busy");
    const line = document.querySelector("[data-offline-status]");
    if (result.status === "offline" && line && button) {
      line.textContent = T.no_connection;
      line.hidden = false;
      return;
    }
    await status();
  }

  // Forms ----------------------------------------------------------------------------------------
  document.querySelectorAll("form[data-offline-form]").forEach((form) => {
    const type = form.dataset.offlineForm;
    const uuid = form.elements.client_uuid;
    if (uuid) uuid.value = crypto.randomUUID(); // a page kept by the service worker holds an old one
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const entry = Q.entryFromForm(type, new FormData(form), window.location);
      const errors = await check(entry);
      if (Object.keys(errors).length) return showErrors(form, errors);
      if (navigator.onLine) return HTMLFormElement.prototype.submit.call(form); // sent at once; the service worker keeps it if the network fails
      await Q.add(entry);
      showErrors(form, {});
      for (const name of ["title", "notes", "value", "note", "confirm", ...T.count_fields, "staff_hours", "volunteer_hours"]) {
        const input = form.elements[name];
        if (input && input.type === "checkbox") input.checked = false;
        else if (input) input.value = "";
      }
      if (uuid) uuid.value = crypto.randomUUID();
      await status();
      const line = document.querySelector("[data-offline-status]");
      line.textContent = T.saved + " " + line.textContent;
      line.hidden = false;
      line.setAttribute("tabindex", "-1");
      line.focus();
    });
  });

  // The queue page --------------------------------------------------------------------------------
  function describe(entry) {
    const d = entry.data;
    const list = projects || [];
    if (d.type === "activity") {
      const project = list.find((p) => String(p.id) === String(d.project));
      return `${T.activity}: ${d.title || "?"}${project ? " · " + project.title : ""} · ${d.date ? day(d.date) : ""}`;
    }
    let name = "";
    for (const p of list) for (const i of p.indicators) if (String(i.id) === String(d.indicator)) name = `${p.title}: ${i.name}`;
    return `${T.measurement}: ${name} · ${d.value} · ${d.date ? day(d.date) : ""}`;
  }

  function correctionForm(entry) {
    const form = document.createElement("form");
    form.className = "queue-correction";
    const heading = document.createElement("p");
    heading.innerHTML = "<strong></strong>";
    heading.firstChild.textContent = describe(entry);
    form.append(heading);
    for (const [field, messages] of Object.entries(entry.errors || {})) {
      const id = `fix-${entry.client_uuid}-${field}`;
      const wrapper = document.createElement("div");
      if (T.labels[field] && field !== "kind") {
        const label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = T.labels[field];
        const input = document.createElement("input");
        input.id = id;
        input.name = field;
        input.type = field === "date" ? "date" : T.count_fields.includes(field) || /hours|value/.test(field) ? "number" : "text";
        if (input.type === "number") input.inputMode = "decimal";
        input.value = entry.data[field] === undefined ? "" : entry.data[field];
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", id + "-error");
        wrapper.append(label, input);
      }
      const error = document.createElement("small");
      error.id = id + "-error";
      error.className = "offline-error";
      error.textContent = messages.join(" ");
      wrapper.append(error);
      form.append(wrapper);
    }
    const unusual = Object.entries(T.unusual_limits).some(([f, limit]) => entry.errors && entry.errors[f] && Number(entry.data[f]) > limit);
    if (entry.needs_confirmation || unusual) {
      const label = document.createElement("label");
      label.innerHTML = '<input type="checkbox" name="confirm"> ';
      label.append(T.confirm_figures);
      form.append(label);
    }
    const actions = document.createElement("div");
    actions.className = "form-actions";
    const again = document.createElement("button");
    again.type = "submit";
    again.textContent = T.send_again;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary";
    discard.textContent = T.discard;
    actions.append(again, discard);
    form.append(actions);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = { ...entry.data };
      for (const input of form.querySelectorAll("input[name]")) {
        if (input.type === "checkbox") {
          if (input.checked) data.confirm = true;
        } else if (input.value.trim() === "") delete data[input.name];
        else data[input.name] = T.count_fields.includes(input.name) ? Number(input.value) : input.value.trim();
      }
      if (entry.errors && entry.errors.client_uuid) data.client_uuid = crypto.randomUUID();
      const corrected = { ...entry, client_uuid: data.client_uuid, data, state: "waiting", errors: null };
      const errors = await check(corrected);
      if (Object.keys(errors).length) {
        await Q.put({ ...entry, data, errors });
        return status();
      }
      if (corrected.client_uuid !== entry.client_uuid) await Q.remove(entry.client_uuid);
      await Q.add(corrected);
      await sendAndShow();
    });
    discard.addEventListener("click", async () => {
      if (!window.confirm(T.discard_confirm)) return;
      await Q.remove(entry.client_uuid);
      await status();
    });
    return form;
  }

  async function renderQueue() {
    const root = document.querySelector("[data-offline-queue]");
    await fieldData();
    const entries = await Q.all();
    const waiting = entries.filter((e) => e.state === "waiting");
    const attention = entries.filter((e) => e.state === "attention");
    root.hidden = false;
    root.querySelector("[data-queue-waiting]").textContent = entries.length ? fmt(T.waiting, { count: number(waiting.length) }) : T.all_sent;
    const last = await Q.getMeta("last_sync");
    root.querySelector("[data-queue-last-sync]").textContent = last
      ? fmt(T.last_sync, { time: new Date(last).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" }) })
      : T.never_synced;
    root.querySelector("[data-queue-login]").hidden = !(await Q.getMeta("needs_login")) || !waiting.length;
    root.querySelector("[data-queue-warning]").hidden = !entries.length;
    const list = root.querySelector("[data-queue-list]");
    list.replaceChildren(
      ...waiting.map((entry) => {
        const item = document.createElement("li");
        item.textContent = describe(entry);
        return item;
      }),
    );
    const section = root.querySelector("[data-queue-attention]");
    section.hidden = !attention.length;
    const focused = document.activeElement && document.activeElement.id;
    section.querySelector("[data-queue-attention-list]").replaceChildren(...attention.map(correctionForm));
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  // When to send ---------------------------------------------------------------------------------
  async function start() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    const token = cookie ? cookie.slice("csrftoken=".length) : (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;
    if (token) await Q.setMeta("csrf", token);
    await status();
    if (navigator.onLine) await sendAndShow();
  }
  const sendButton = document.querySelector("[data-queue-send]");
  if (sendButton) sendButton.addEventListener("click", sendAndShow);
  window.addEventListener("online", sendAndShow);
  window.setInterval(() => navigator.onLine && sendAndShow(), 60000);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => event.data && event.data.type === "queue-changed" && status());
  }
  start();
  document.documentElement.dataset.offline = "ready"; // what the browser tests wait for
})();
