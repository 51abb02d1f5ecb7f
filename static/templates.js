// "Add a translation": open the editor of the template in the language typed.
document.querySelectorAll("form.add-translation").forEach((form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.location.href = form.dataset.base + "/" + encodeURIComponent(form.elements.language.value);
  });
});
