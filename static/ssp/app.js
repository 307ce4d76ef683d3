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
