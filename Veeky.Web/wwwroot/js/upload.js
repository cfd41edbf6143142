// Uploads with progress bars and the API's refusals shown in place.
(function () {
    "use strict";

    var Veeky = window.Veeky;

    // Upload: send the same form with XMLHttpRequest to show progress, and show the API's refusal in place.
    function setUpUpload() {
        var form = document.querySelector("form[data-upload]");
        if (!form || !window.FormData) return;
        var errorBox = form.querySelector("[data-upload-error]");
        var progress = form.querySelector("[data-upload-progress]");
        var meter = progress && progress.querySelector("progress");
        var label = progress && progress.querySelector("[data-upload-percent]");
        var button = form.querySelector("button[type=submit]");

        function showError(message) {
            errorBox.textContent = message;
            errorBox.hidden = false;
            progress.hidden = true;
            button.disabled = false;
        }

        form.addEventListener("submit", function (event) {
            event.preventDefault();
            errorBox.hidden = true;
            var data = new FormData(form);
            var token = form.querySelector("input[name=__RequestVerificationToken]");
            var xhr = new XMLHttpRequest();
            xhr.open("POST", form.action);
            xhr.setRequestHeader("Accept", "application/json");
            if (token) xhr.setRequestHeader("RequestVerificationToken", token.value);
            xhr.upload.addEventListener("progress", function (e) {
                if (!e.lengthComputable) return;
                var value = Math.round((e.loaded / e.total) * 100);
                meter.value = value;
                label.textContent = value === 100 ? "Checking the file…" : value + "%";
            });
            xhr.addEventListener("load", function () {
                var body = null;
                try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: an error page */ }
                if (xhr.status >= 200 && xhr.status < 300 && body && body.location) {
                    window.location.assign(body.location);
                } else {
                    showError((body && (body.detail || body.title)) || "The upload failed (" + xhr.status + ").");
                }
            });
            xhr.addEventListener("error", function () { showError("The connection was lost during the upload."); });
            progress.hidden = false;
            button.disabled = true;
            xhr.send(data);
        });
    }

    Veeky.ready(setUpUpload);
})();
