// isachub's own script: it only enhances pages that work without it.
// - the pattern field of the publish form is checked while typing;
// - buttons with data-copy copy their value;
// - "/" focuses the search box.
"use strict";
(function () {
  function debounce(fn, ms) {
    let t;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  document.querySelectorAll("[data-pattern-check]").forEach(function (field) {
    const hint = document.getElementById("pattern-help");
    if (!hint) return;
    const original = hint.innerHTML;
    const check = debounce(function () {
      const value = field.value.trim();
      if (value === "") {
        hint.innerHTML = original; hint.className = "hint"; field.removeAttribute("aria-invalid");
        return;
      }
      fetch("/ui/pattern-check?pattern=" + encodeURIComponent(value), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (res) {
          if (res.ok) {
            hint.textContent = "Valid pattern: " + res.canonical;
            hint.className = "hint ok"; field.removeAttribute("aria-invalid");
          } else {
            hint.textContent = res.error;
            hint.className = "hint bad"; field.setAttribute("aria-invalid", "true");
          }
        })
        .catch(function () {});
    }, 250);
    field.addEventListener("input", check);
  });
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(b.dataset.copy).then(function () {
        const label = b.textContent;
        b.textContent = "Copied";
        setTimeout(function () { b.textContent = label; }, 1500);
      });
    });
  });
  document.addEventListener("keydown", function (e) {
    const tag = (e.target.tagName || "").toLowerCase();
    if (e.key !== "/" || tag === "input" || tag === "textarea" || tag === "select" || e.ctrlKey || e.metaKey) return;
    const box = document.querySelector("[data-shortcut='/']");
    if (box) { e.preventDefault(); box.focus(); }
  });
})();
