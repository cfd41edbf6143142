// Veeky's few live touches on server-rendered pages. Every page works without this file; it only makes seeking,
// indexing progress and upload progress nicer. No tokens here: the server relays what needs one.
(function () {
    "use strict";

    // "DetectingScenes" → "Detecting scenes", as the server renders it.
    function stageText(stage) {
        if (!stage) return "Queued";
        var words = stage.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
        return words.charAt(0).toUpperCase() + words.slice(1);
    }

    function percent(progress) {
        return Math.round(Math.min(1, Math.max(0, progress || 0)) * 100) + "%";
    }

    // Player: start at ?t=, seek when a moment is clicked, and mark the moment playing now.
    function setUpPlayer() {
        var player = document.getElementById("player");
        if (!player) return;
        var segments = Array.prototype.slice.call(document.querySelectorAll("[data-seek]"));

        function seek(seconds, play) {
            var go = function () {
                player.currentTime = seconds;
                if (play) player.play().catch(function () { /* autoplay may be refused; the position is set */ });
            };
            if (player.readyState >= 1) go(); else player.addEventListener("loadedmetadata", go, { once: true });
        }

        var start = parseFloat(player.dataset.start);
        if (!isNaN(start)) seek(start, false);

        segments.forEach(function (link) {
            link.addEventListener("click", function (event) {
                if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                var seconds = parseFloat(link.dataset.seek);
                seek(seconds, true);
                // Keep the address shareable: it now points at this moment.
                history.replaceState(null, "", link.getAttribute("href"));
                player.scrollIntoView({ behavior: "smooth", block: "nearest" });
            });
        });

        player.addEventListener("timeupdate", function () {
            var now = player.currentTime;
            segments.forEach(function (link) {
                var current = now >= parseFloat(link.dataset.seek) && now < parseFloat(link.dataset.end);
                link.classList.toggle("is-current", current);
            });
        });
    }

    // Indexing progress: the server relays the API's event stream at /live/videos/{id} with the session's token.
    function setUpLiveProgress() {
        var panel = document.querySelector("[data-live]");
        if (!panel || !window.EventSource) return;
        var stage = panel.querySelector("[data-live-stage]");
        var pct = panel.querySelector("[data-live-percent]");
        var meter = panel.querySelector("[data-live-meter]");
        var badge = document.querySelector("[data-live-badge] .badge");
        var source = new EventSource(panel.dataset.live);

        function onProgress(event) {
            var state;
            try { state = JSON.parse(event.data); } catch (e) { return; }
            if (stage) stage.textContent = stageText(state.stage);
            if (pct) pct.textContent = percent(state.progress);
            if (meter) meter.value = state.progress || 0;
            if (badge && state.status === "Processing") badge.textContent = stageText(state.stage) + " " + percent(state.progress);
            if (state.status === "Completed" || state.status === "Failed") {
                source.close();
                // The finished page has the moments (or the error): render it afresh.
                window.location.reload();
            }
        }
        source.addEventListener("progress", onProgress);
        source.addEventListener("message", onProgress);
        // A stream refused outright (EventSource gives up on an error status) falls back to reloading now and then.
        source.addEventListener("error", function () {
            if (source.readyState === EventSource.CLOSED) setTimeout(function () { window.location.reload(); }, 10000);
        });
    }

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

    // Search as you type: fetch the server-rendered results for the words so far and keep the address in step.
    function setUpLiveSearch() {
        var input = document.querySelector("[data-search-live]");
        var target = document.querySelector("[data-search-results]");
        if (!input || !target || !window.fetch) return;
        var category = input.form && input.form.querySelector("[name=categoryId]");
        var timer = null;
        var pending = null;

        function run() {
            var params = new URLSearchParams();
            params.set("q", input.value.trim());
            if (category && category.value) params.set("categoryId", category.value);
            if (pending) pending.abort();
            pending = new AbortController();
            fetch(input.dataset.searchLive + "?" + params.toString(), { signal: pending.signal, headers: { Accept: "text/html" } })
                .then(function (response) {
                    // A lost session answers with the sign-in page: leave the page as it is; submitting still works.
                    if (!response.ok || response.redirected) return null;
                    return response.text();
                })
                .then(function (html) {
                    if (html === null) return;
                    target.innerHTML = html;
                    history.replaceState(null, "", "/search?" + params.toString());
                })
                .catch(function () { /* aborted by a newer keystroke, or offline: the form still works */ });
        }

        function schedule() {
            clearTimeout(timer);
            // Wait for a pause in typing so each word does not cost a search.
            timer = setTimeout(function () {
                if (input.value.trim().length >= 2) run();
            }, 250);
        }

        input.addEventListener("input", schedule);
        if (category) category.addEventListener("change", schedule);
    }

    // Forms that destroy something ask first.
    function setUpConfirmations() {
        document.querySelectorAll("form[data-confirm]").forEach(function (form) {
            form.addEventListener("submit", function (event) {
                if (!window.confirm(form.dataset.confirm)) event.preventDefault();
            });
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        setUpPlayer();
        setUpLiveProgress();
        setUpUpload();
        setUpLiveSearch();
        setUpConfirmations();
    });
})();
