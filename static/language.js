// Choosing a language in the menu switches at once; without JavaScript the button next to it does.
(function () {
  var form = document.getElementById("language-menu");
  if (!form) return;
  var choice = form.querySelector("select");
  var button = form.querySelector("button");
  if (button) button.classList.add("visually-hidden");
  choice.addEventListener("change", function () { form.submit(); });
})();
