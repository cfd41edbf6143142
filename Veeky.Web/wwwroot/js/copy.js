// Copy buttons (data-copy="<input id>"): shown only when this script runs, since without it the field is there to select.
(function () {
    "use strict";

    function setUpCopyButtons() {
        document.querySelectorAll("button[data-copy]").forEach(function (button) {
            var field = document.getElementById(button.dataset.copy);
            var note = button.parentElement.querySelector("[data-copy-note]");
            if (!field) return;
            button.hidden = false;
            button.addEventListener("click", function () {
                field.select();
                var copied = navigator.clipboard ? navigator.clipboard.writeText(field.value) : Promise.reject(new Error("no clipboard"));
                copied.then(
                    function () { if (note) note.textContent = "Copied."; },
                    function () { if (note) note.textContent = "Press Ctrl+C (or ⌘C) to copy the selected key."; });
            });
        });
    }

    window.Veeky.ready(setUpCopyButtons);
})();
