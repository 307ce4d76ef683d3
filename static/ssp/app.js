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

// The session warning: the server signs a user out after a while without a request. A minute
// before, this says so and offers to continue; continuing is one small request, so nothing
// typed on the page is lost. Every htmx request counts as activity too.
(() => {
  const dialog = document.getElementById("session-warning");
  if (!dialog) {
    return;
  }
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  let warnTimer = null;
  let endTimer = null;

  function signedOut() {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`${dialog.dataset.loginUrl}?next=${encodeURIComponent(next)}`);
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    dialog.hidden = true;
    warnTimer = setTimeout(() => {
      dialog.hidden = false;
      dialog.querySelector("[data-session-continue]").focus();
    }, Math.max(idleMs - warningMs, 0));
    // A little after the server's limit, so the server has surely signed the user out.
    endTimer = setTimeout(signedOut, idleMs + 2000);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }

  dialog.querySelector("[data-session-continue]").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.status === 204) {
      schedule();
    } else {
      signedOut();
    }
  });

  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();

// "Vælg alle": a checkbox with data-select-all="<name>" ticks or clears every checkbox of that
// name in its form. Shown only when this script runs; without it each row is ticked by hand,
// or "Send til alle" sends them all.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-all-group]").forEach((group) => {
    group.hidden = false;
  });
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    const boxes = () => box.form.querySelectorAll(`input[name="${box.dataset.selectAll}"]`);
    box.addEventListener("change", () => {
      boxes().forEach((other) => {
        other.checked = box.checked;
      });
    });
    box.form.addEventListener("change", (event) => {
      if (event.target !== box && event.target.name === box.dataset.selectAll) {
        box.checked = Array.from(boxes()).every((other) => other.checked);
      }
    });
  });
});
