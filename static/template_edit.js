// The template editor's live preview: the form is rendered with sample values as it is typed.
(() => {
  const form = document.getElementById("template-form");
  if (!form || !form.dataset.previewUrl) { return; }
  let timer;
  async function refresh() {
    const response = await fetch(form.dataset.previewUrl, {
      method: "POST", body: new FormData(form),
      headers: {"X-CSRFToken": document.querySelector("meta[name=csrf-token]").content},
    });
    const data = await response.json();
    const error = document.getElementById("preview-error");
    error.hidden = !data.error;
    error.textContent = data.error || "";
    if (!data.error) {
      document.getElementById("live-subject").textContent = data.subject;
      document.getElementById("live-text").textContent = data.text;
      document.getElementById("live-html").srcdoc = data.html;
    }
  }
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 300); });
  refresh();
})();
