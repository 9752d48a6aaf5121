/* Security keys and passkeys (WebAuthn): registering one and signing in with it.
 *
 * Each form marked data-webauthn="register" or "authenticate" is hidden in the page and
 * shown here only when the browser can use WebAuthn; the page's explanation says what to
 * do otherwise. The options (with the server's challenge) are in a JSON block in the
 * page; the browser's answer is put in the form's `credential` field and the form is
 * submitted as usual. Nothing is fetched. Texts come from the page (translated there).
 */
(function () {
  "use strict";

  function supported() {
    return Boolean(window.isSecureContext && window.PublicKeyCredential &&
      navigator.credentials && navigator.credentials.create);
  }

  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBuffer(item.id), transports: item.transports };
    });
  }

  function creationOptions(json) {
    if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    var options = Object.assign({}, json);
    options.challenge = toBuffer(json.challenge);
    options.user = Object.assign({}, json.user, { id: toBuffer(json.user.id) });
    options.excludeCredentials = descriptors(json.excludeCredentials);
    return options;
  }

  function requestOptions(json) {
    if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    var options = Object.assign({}, json);
    options.challenge = toBuffer(json.challenge);
    options.allowCredentials = descriptors(json.allowCredentials);
    return options;
  }

  function credentialJSON(credential) {
    if (typeof credential.toJSON === "function") { return credential.toJSON(); }
    var r = credential.response;
    var response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      response.userHandle = toText(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: response,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  function enhance(form) {
    var optionsBlock = document.getElementById(form.getAttribute("data-webauthn-options"));
    var explanation = document.getElementById(form.getAttribute("data-webauthn-unsupported"));
    var status = form.querySelector("[data-webauthn-status]");
    var button = form.querySelector("button[type=submit]");
    var field = form.querySelector("input[name=credential]");
    var registering = form.getAttribute("data-webauthn") === "register";
    if (!optionsBlock || !field) { return; }
    if (explanation) { explanation.hidden = true; }
    form.hidden = false;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var json = JSON.parse(optionsBlock.textContent);
      var ceremony = registering
        ? navigator.credentials.create({ publicKey: creationOptions(json) })
        : navigator.credentials.get({ publicKey: requestOptions(json) });
      button.disabled = true;
      status.textContent = status.getAttribute("data-waiting");
      ceremony.then(function (credential) {
        field.value = JSON.stringify(credentialJSON(credential));
        HTMLFormElement.prototype.submit.call(form);
      }).catch(function (error) {
        button.disabled = false;
        var duplicate = error && error.name === "InvalidStateError" && status.getAttribute("data-duplicate");
        status.textContent = duplicate || status.getAttribute("data-failed");
      });
    });
  }

  function start() {
    if (!supported()) { return; }
    document.querySelectorAll("form[data-webauthn]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
