// Stories of change: reading the questions aloud and recording a voice. Progressive enhancement
// only: without JavaScript the client writes the story, and the page says so kindly.
document.addEventListener("DOMContentLoaded", () => {
  const language = (document.documentElement.lang || "en").toLowerCase();

  // Read aloud: <button data-speak="id-of-the-question" hidden>, shown only where the device has a
  // voice for the page's language (voices often arrive after the page, hence voiceschanged).
  const speakButtons = document.querySelectorAll("[data-speak]");
  if ("speechSynthesis" in window && speakButtons.length) {
    const voiceFor = () =>
      window.speechSynthesis.getVoices().find((v) => (v.lang || "").toLowerCase().replace("_", "-").split("-")[0] === language);
    const offer = () => {
      const voice = voiceFor();
      if (!voice) return;
      speakButtons.forEach((button) => {
        button.hidden = false;
        button.onclick = () => {
          const source = document.getElementById(button.dataset.speak);
          if (!source) return;
          window.speechSynthesis.cancel();
          const utterance = new SpeechSynthesisUtterance(source.textContent.trim());
          utterance.voice = voice;
          utterance.lang = voice.lang;
          window.speechSynthesis.speak(utterance);
        };
      });
    };
    offer();
    window.speechSynthesis.addEventListener("voiceschanged", offer);
  }

  // Voice recording: <div data-recorder> holds the buttons and a hidden file input; the recording
  // goes into that input, so the form sends it like any file, with its length in audio_seconds.
  const box = document.querySelector("[data-recorder]");
  if (!box) return;
  const canRecord = window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.DataTransfer;
  if (!canRecord) {
    const note = document.querySelector("[data-recorder-unavailable]");
    if (note) note.hidden = false;
    return;
  }
  box.hidden = false;
  const maxSeconds = Number(box.dataset.maxSeconds || 180);
  const recordButton = box.querySelector("[data-record]");
  const stopButton = box.querySelector("[data-stop]");
  const status = box.querySelector("[data-status]");
  const input = box.querySelector("input[type=file]");
  const secondsInput = document.querySelector("input[name=audio_seconds]");
  const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
  const say = (template, values) => {
    status.textContent = template.replace(/%\((\w+)\)s/g, (_m, key) => values[key] ?? "");
  };
  const type = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"].find(
    (t) => MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t),
  );
  let recorder = null;
  let timer = null;
  let started = 0;

  const stop = () => {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  };
  recordButton.addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (_error) {
      say(box.dataset.textDenied, {});
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size) chunks.push(event.data);
    });
    recorder.addEventListener("stop", () => {
      window.clearInterval(timer);
      stream.getTracks().forEach((track) => track.stop());
      const seconds = Math.min(maxSeconds, Math.ceil((Date.now() - started) / 1000));
      const mime = (recorder.mimeType || type || "audio/webm").split(";")[0];
      const extension = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a" }[mime] || "webm";
      const transfer = new DataTransfer();
      transfer.items.add(new File(chunks, `story.${extension}`, { type: mime }));
      input.files = transfer.files;
      if (secondsInput) secondsInput.value = String(seconds);
      say(box.dataset.textReady, { time: clock(seconds) });
      stopButton.hidden = true;
      recordButton.hidden = false;
      recordButton.textContent = box.dataset.textAgain;
      recordButton.focus();
    });
    started = Date.now();
    recorder.start(1000);
    recordButton.hidden = true;
    stopButton.hidden = false;
    stopButton.focus();
    say(box.dataset.textRecording, { time: clock(0), max: clock(maxSeconds) });
    timer = window.setInterval(() => {
      const elapsed = (Date.now() - started) / 1000;
      say(box.dataset.textRecording, { time: clock(elapsed), max: clock(maxSeconds) });
      if (elapsed >= maxSeconds) stop();
    }, 1000);
  });
  stopButton.addEventListener("click", stop);
});
