// Start Det Fælles Designsystem's components once the page has loaded.
document.addEventListener("DOMContentLoaded", () => {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
  // Move focus to a form's error summary so screen readers announce it.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// Re-initialise components inside content that htmx swapped in.
document.addEventListener("htmx:afterSettle", () => {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});

// "Skjul skærm": blanks the page at once, when someone comes by a screen with a young person's
// case on it. The button or Escape twice within a moment hides it; the tab's title goes neutral
// too (it may name a case). Only the button on the blank screen shows the page again, so a
// stray key press does not.
(() => {
  const DOUBLE_PRESS_MS = 600;
  let lastEscape = 0;
  let savedTitle = "";

  function cover() {
    return document.getElementById("hide-screen");
  }

  function hideScreen() {
    const overlay = cover();
    if (!overlay || !overlay.hidden) {
      return;
    }
    savedTitle = document.title;
    document.title = overlay.dataset.neutralTitle || "";
    overlay.hidden = false;
    document.body.classList.add("screen-hidden");
    overlay.querySelector("[data-show-screen]").focus();
  }

  function showScreen() {
    const overlay = cover();
    if (!overlay || overlay.hidden) {
      return;
    }
    overlay.hidden = true;
    document.body.classList.remove("screen-hidden");
    document.title = savedTitle;
    const button = document.querySelector("[data-hide-screen]");
    if (button) {
      button.focus();
    }
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-hide-screen]")) {
      hideScreen();
    } else if (event.target.closest("[data-show-screen]")) {
      showScreen();
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    const now = Date.now();
    if (now - lastEscape <= DOUBLE_PRESS_MS) {
      hideScreen();
      lastEscape = 0;
    } else {
      lastEscape = now;
    }
  });
})();
