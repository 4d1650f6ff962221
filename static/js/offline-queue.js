// The device's queue of entries made without a signal (docs/offline.md), shared by the pages
// (static/js/offline.js) and the service worker (/sw.js): IndexedDB "sempre-offline", one record
// per entry, keyed by its client_uuid (crypto.randomUUID()), sent to POST /api/v1/sync/. The
// server stores each client_uuid once, so sending an entry twice (two tabs, the page and the
// service worker, a reply lost on the way) never stores it twice.
(function (scope) {
  "use strict";
  const DB = "sempre-offline";
  const SYNC_URL = "/api/v1/sync/";
  const BATCH = 100; // microprojects.api.SYNC_MAX_ENTRIES
  const SYNC_TAG = "sempre-queue";
  const COUNT_FIELDS = [
    "participants_total", "participants_new", "women", "men", "non_binary", "gender_not_stated",
    "age_under_18", "age_18_29", "age_30_54", "age_55_plus", "age_not_stated",
  ];
  const ACTIVITY_FIELDS = ["project", "date", "kind", "title", "notes", "staff_hours", "volunteer_hours", ...COUNT_FIELDS];
  const MEASUREMENT_FIELDS = ["indicator", "date", "value", "note"];

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("entries", { keyPath: "client_uuid" });
        request.result.createObjectStore("meta", { keyPath: "key" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(store, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const result = work(transaction.objectStore(store));
      transaction.oncomplete = () => {
        db.close();
        resolve(result && "result" in result ? result.result : undefined);
      };
      transaction.onerror = () => reject(transaction.error);
    });
  }

  const all = () => run("entries", "readonly", (store) => store.getAll());
  const put = (entry) => run("entries", "readwrite", (store) => store.put(entry));
  const remove = (uuid) => run("entries", "readwrite", (store) => store.delete(uuid));
  const getMeta = async (key) => {
    const row = await run("meta", "readonly", (store) => store.get(key));
    return row ? row.value : null;
  };
  const setMeta = (key, value) => run("meta", "readwrite", (store) => store.put({ key, value }));

  // An entry as POST /api/v1/sync/ takes it, from a form's fields (empty fields left out).
  function entryFromForm(type, formData, url) {
    const fields = type === "activity" ? ACTIVITY_FIELDS : MEASUREMENT_FIELDS;
    const data = { type, client_uuid: formData.get("client_uuid") || crypto.randomUUID() };
    for (const name of fields) {
      const value = formData.get(name);
      if (value !== null && String(value).trim() !== "") data[name] = COUNT_FIELDS.includes(name) ? Number(value) : String(value).trim();
    }
    if (type === "activity" && !data.project && url) {
      const match = /\/projects\/(\d+)\//.exec(url.pathname || url);
      if (match) data.project = Number(match[1]);
    }
    if (type === "activity" && formData.get("confirm")) data.confirm = true;
    return { client_uuid: data.client_uuid, state: "waiting", made_at: new Date().toISOString(), data, errors: null };
  }

  async function add(entry) {
    await put(entry);
    await remember();
    if (scope.registration && scope.registration.sync) {
      await scope.registration.sync.register(SYNC_TAG).catch(() => {});
    } else if (typeof navigator !== "undefined" && navigator.serviceWorker) {
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration && registration.sync) await registration.sync.register(SYNC_TAG).catch(() => {});
    }
  }

  // The number waiting, where the logout link can read it at once (localStorage: pages only).
  async function remember() {
    const entries = await all();
    const waiting = entries.filter((e) => e.state === "waiting").length;
    if (typeof localStorage !== "undefined") {
      try {
        localStorage.setItem("sempre-waiting", String(entries.length));
      } catch (error) {
        // private mode: the logout warning is not shown
      }
    }
    return { waiting, attention: entries.length - waiting, entries };
  }

  // Send what waits. Returns {status: "sent" | "offline" | "login" | "nothing" | "error"}.
  let sending = null;
  function send() {
    sending = sending || sendNow().finally(() => (sending = null));
    return sending;
  }

  async function sendNow() {
    const waiting = (await all()).filter((e) => e.state === "waiting");
    if (!waiting.length) return { status: "nothing" };
    const csrf = await getMeta("csrf");
    for (let start = 0; start < waiting.length; start += BATCH) {
      const batch = waiting.slice(start, start + BATCH);
      let response;
      try {
        response = await fetch(SYNC_URL, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf || "" },
          body: JSON.stringify({ entries: batch.map((e) => e.data) }),
        });
      } catch (error) {
        return { status: "offline" };
      }
      if (response.status === 401 || response.status === 403) {
        await setMeta("needs_login", true); // nothing is dropped: sent once the person is back
        return { status: "login" };
      }
      if (!response.ok) return { status: "error" };
      const { results } = await response.json();
      for (const result of results) {
        const entry = batch[result.index];
        if (result.status === "refused") {
          await put({ ...entry, state: "attention", errors: result.errors, needs_confirmation: result.needs_confirmation });
        } else {
          await remove(entry.client_uuid);
        }
      }
      await setMeta("needs_login", false);
      await setMeta("last_sync", new Date().toISOString());
    }
    await remember();
    return { status: "sent" };
  }

  // Tell the open pages that the queue changed (from the service worker).
  async function notify() {
    if (scope.clients && scope.clients.matchAll) {
      for (const client of await scope.clients.matchAll({ type: "window" })) client.postMessage({ type: "queue-changed" });
    }
  }

  scope.SempreQueue = { SYNC_TAG, COUNT_FIELDS, all, put, remove, getMeta, setMeta, entryFromForm, add, remember, send, notify };
})(self);
