// Uploads of several files at once: a queue with one row per file (its own title, progress bar of bytes sent, Cancel),
// the shared category, description and keywords, a few files sent at a time, each as its own request to the server's
// /upload relay, and the API's refusal or a link to the accepted video on each row. Without script the page's plain
// single-file form posts as it is.
(function () {
    "use strict";

    var Veeky = window.Veeky;
    var parallel = 2; // a few at a time: more would only split the same uplink

    // "team_meeting-2024.final.mp4" → "team meeting 2024 final".
    function titleFromFileName(name) {
        var stem = name.replace(/\.[^.]+$/, "");
        var title = stem.replace(/[_\-.]+/g, " ").replace(/\s+/g, " ").trim();
        return (title || name).slice(0, 200);
    }

    function sizeText(bytes) {
        var units = ["B", "KB", "MB", "GB", "TB"], i = 0;
        while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
        return (i === 0 ? bytes : bytes.toFixed(1)) + " " + units[i];
    }

    function setUpUpload() {
        var form = document.querySelector("form[data-upload]");
        var rowTemplate = document.querySelector("template[data-upload-row]");
        if (!form || !rowTemplate || !window.FormData || !window.XMLHttpRequest) return;

        var input = form.querySelector("input[type=file]");
        var drop = form.querySelector("[data-upload-drop]");
        var queue = form.querySelector("[data-upload-queue]");
        var errorBox = form.querySelector("[data-upload-error]");
        var titleField = form.querySelector("[data-upload-title]");
        var button = form.querySelector("button[type=submit]");
        var token = form.querySelector("input[name=__RequestVerificationToken]");
        var items = [];

        // From here on the form is the multi-file queue: the title is per file, the file input adds to the queue.
        input.multiple = true;
        input.required = false;
        form.querySelector("[data-upload-file-label]").textContent = "Video files";
        form.querySelector("[data-upload-hint]").textContent =
            "Choose or drop one or more videos: MP4, WebM, MOV, MKV… anything ffmpeg reads.";
        drop.classList.add("upload-drop--on");
        titleField.hidden = true;
        titleField.querySelector("input").disabled = true;

        // "Upload 3 videos": says what the button will send.
        function relabel() {
            var waiting = items.filter(function (item) { return item.state === "queued"; }).length;
            button.textContent = waiting > 1 ? "Upload " + waiting + " videos" : "Upload";
        }

        function showError(message) {
            errorBox.textContent = message;
            errorBox.hidden = !message;
        }

        function add(files) {
            Array.prototype.forEach.call(files, function (file) {
                var row = rowTemplate.content.firstElementChild.cloneNode(true);
                var item = {
                    file: file,
                    row: row,
                    state: "queued",
                    xhr: null,
                    title: row.querySelector("[data-file-title]"),
                    meter: row.querySelector("[data-file-meter]"),
                    percent: row.querySelector("[data-file-percent]"),
                    message: row.querySelector("[data-file-message]"),
                    link: row.querySelector("[data-file-link]"),
                    cancel: row.querySelector("[data-file-cancel]"),
                };
                row.querySelector("[data-file-name]").textContent = file.name;
                row.querySelector("[data-file-size]").textContent = sizeText(file.size);
                item.title.value = titleFromFileName(file.name);
                item.meter.setAttribute("aria-label", "Upload progress of " + file.name);
                item.cancel.setAttribute("aria-label", "Remove " + file.name);
                item.cancel.addEventListener("click", function () { cancel(item); });
                items.push(item);
                queue.appendChild(row);
            });
            queue.hidden = items.length === 0;
            showError("");
            relabel();
        }

        function setState(item, state, message) {
            item.state = state;
            item.row.dataset.state = state;
            if (message !== undefined) item.message.textContent = message;
            var active = state === "sending";
            item.cancel.hidden = !(state === "queued" || active);
            item.cancel.textContent = active ? "Cancel" : "Remove";
            item.cancel.setAttribute("aria-label", (active ? "Cancel the upload of " : "Remove ") + item.file.name);
            item.title.disabled = state !== "queued";
            relabel();
        }

        function cancel(item) {
            if (item.state === "sending") {
                // Aborting closes the connection: the relay's request to the API is cancelled with it, and the API
                // discards the partial file and never creates the video.
                item.xhr.abort();
            } else if (item.state === "queued") {
                items.splice(items.indexOf(item), 1);
                item.row.remove();
                queue.hidden = items.length === 0;
                relabel();
            }
        }

        function send(item, shared) {
            var data = new FormData();
            data.append("title", item.title.value.trim());
            data.append("categoryId", shared.categoryId);
            data.append("description", shared.description);
            data.append("keywords", shared.keywords);
            data.append("file", item.file, item.file.name);

            var xhr = item.xhr = new XMLHttpRequest();
            xhr.open("POST", form.action);
            xhr.setRequestHeader("Accept", "application/json");
            if (token) xhr.setRequestHeader("RequestVerificationToken", token.value);
            xhr.upload.addEventListener("progress", function (e) {
                if (!e.lengthComputable) return;
                var value = Math.round((e.loaded / e.total) * 100);
                item.meter.value = value;
                item.percent.textContent = value === 100 ? "Checking the file…" : value + "% of " + sizeText(e.total);
            });

            return new Promise(function (resolve) {
                xhr.addEventListener("load", function () {
                    var body = null;
                    try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: an error page */ }
                    if (xhr.status >= 200 && xhr.status < 300 && body && body.location) {
                        item.meter.value = 100;
                        item.percent.textContent = "Uploaded";
                        item.link.href = body.location;
                        item.link.textContent = "Open “" + item.title.value.trim() + "”";
                        item.link.hidden = false;
                        setState(item, "done", "Indexing has started.");
                    } else {
                        item.percent.textContent = "Refused";
                        setState(item, "refused", (body && (body.detail || body.title)) || "The upload failed (" + xhr.status + ").");
                    }
                    resolve();
                });
                xhr.addEventListener("error", function () {
                    item.percent.textContent = "Failed";
                    setState(item, "failed", "The connection was lost during the upload.");
                    resolve();
                });
                xhr.addEventListener("abort", function () {
                    item.meter.value = 0;
                    item.percent.textContent = "Cancelled";
                    setState(item, "cancelled", "Cancelled; nothing of this file was kept.");
                    resolve();
                });
                setState(item, "sending", "");
                item.percent.textContent = "0%";
                xhr.send(data);
            });
        }

        function start(batch, shared) {
            var next = 0;
            function worker() {
                // A row removed before its turn is skipped.
                while (next < batch.length && batch[next].state !== "queued") next++;
                if (next >= batch.length) return Promise.resolve();
                var item = batch[next++];
                return send(item, shared).then(worker);
            }
            var workers = [];
            for (var i = 0; i < Math.min(parallel, batch.length); i++) workers.push(worker());
            button.disabled = true;
            Promise.all(workers).then(function () { button.disabled = false; });
        }

        // Files dropped elsewhere on a page holding this form (the library) join the same queue, checked the same way.
        Veeky.queueUploads = add;

        input.addEventListener("change", function () {
            add(input.files);
            input.value = ""; // the queue holds the files; choosing the same file again adds it again
        });

        ["dragenter", "dragover"].forEach(function (type) {
            drop.addEventListener(type, function (event) {
                event.preventDefault();
                drop.classList.add("upload-drop--over");
            });
        });
        ["dragleave", "drop"].forEach(function (type) {
            drop.addEventListener(type, function () { drop.classList.remove("upload-drop--over"); });
        });
        drop.addEventListener("drop", function (event) {
            event.preventDefault();
            if (event.dataTransfer && event.dataTransfer.files.length) add(event.dataTransfer.files);
        });

        // Leaving the page aborts the requests still sending: the browser asks first.
        window.addEventListener("beforeunload", function (event) {
            if (!items.some(function (item) { return item.state === "sending"; })) return;
            event.preventDefault();
            event.returnValue = ""; // older browsers show the prompt only when this is set
        });

        form.addEventListener("submit", function (event) {
            event.preventDefault();
            var batch = items.filter(function (item) { return item.state === "queued"; });
            if (batch.length === 0) {
                showError("Choose one or more video files first.");
                return;
            }
            var untitled = batch.filter(function (item) { return !item.title.value.trim(); });
            if (untitled.length > 0) {
                showError("Every file needs a title.");
                untitled[0].title.focus();
                return;
            }
            var category = form.querySelector("[name=categoryId]").value;
            if (!category) {
                showError("Choose a category.");
                return;
            }
            showError("");
            // Keyboard and screen-reader users land where the progress is, not on a button that just went disabled.
            queue.tabIndex = -1;
            queue.focus();
            // The shared fields as they are now: editing them later affects only files sent later.
            start(batch, {
                categoryId: category,
                description: form.querySelector("[name=description]").value,
                keywords: form.querySelector("[name=keywords]").value,
            });
        });
    }

    Veeky.ready(setUpUpload);
})();
