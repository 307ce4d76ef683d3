// Passkeys on the account page: once django-otp-webauthn's script has registered a new
// passkey, reload the page so the list shows it (served from static: the CSP allows no
// inline script).
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
