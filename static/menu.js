// The menu folds behind a "Menu" button at phone width. Without JavaScript it simply stays open.
(function () {
  var bar = document.querySelector(".topbar");
  var button = bar && bar.querySelector(".menu-toggle");
  if (!button) return;
  bar.classList.add("collapsible");
  button.addEventListener("click", function () {
    var open = bar.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
