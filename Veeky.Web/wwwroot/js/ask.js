// The Ask box on the search page: answers streamed from the API, then the moments they were built from (the cited
// ones marked), each opening its video at the moment.
// Everything the model or the API sends is added as text (textContent, text nodes), never as HTML.
(function () {
    "use strict";

    var current = null;

    // mm:ss, or h:mm:ss from one hour on, floored like the server's MediaTime.Format.
    function formatTime(seconds) {
        var whole = isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
        var h = Math.floor(whole / 3600), m = Math.floor((whole % 3600) / 60), s = whole % 60;
        var pad = function (n) { return (n < 10 ? "0" : "") + n; };
        return h > 0 ? h + ":" + pad(m) + ":" + pad(s) : pad(m) + ":" + pad(s);
    }

    // The value of a ?t= link: seconds with at most two decimals.
    function timeParameter(seconds) {
        return String(Math.round(Math.max(0, seconds) * 100) / 100);
    }

    function parts(box) {
        return {
            answer: box.querySelector("[data-ask-answer]"),
            error: box.querySelector("[data-ask-error]"),
            text: box.querySelector("[data-ask-text]"),
            sources: box.querySelector("[data-ask-sources]"),
            sourceList: box.querySelector("[data-ask-sources-list]"),
            button: box.querySelector("form[data-ask] button[type=submit]")
        };
    }

    function showError(view, message) {
        view.error.textContent = message;
        view.error.hidden = false;
        view.answer.hidden = false;
    }

    // The answer's sources, best first; an API without them (older) gives its citations, all cited.
    function renderSources(view, answer) {
        var sources = answer.sources || (answer.citations || []).map(function (c) {
            return Object.assign({ cited: true }, c);
        });
        view.sourceList.replaceChildren();
        sources.forEach(function (source) {
            var link = document.createElement("a");
            link.href = "/videos/" + encodeURIComponent(source.videoId) + "?t=" + timeParameter(source.start);
            var title = document.createElement("span");
            title.className = "ask-citations__title";
            title.textContent = source.videoTitle;
            var time = document.createElement("span");
            time.className = "ask-citations__time";
            time.textContent = formatTime(source.start);
            link.append(title, time);
            if (source.cited) {
                var mark = document.createElement("span");
                mark.className = "ask-citations__cited";
                mark.textContent = "cited";
                link.append(mark);
            }
            var item = document.createElement("li");
            item.dataset.cited = source.cited ? "true" : "false";
            if (source.cited) item.className = "ask-citations__item--cited";
            item.append(link);
            view.sourceList.append(item);
        });
        view.sources.hidden = sources.length === 0;
    }

    // One "event: x\ndata: {...}" block of the stream; comments and unknown fields are ignored.
    function parseEvent(block) {
        var type = "message", data = [];
        block.split("\n").forEach(function (line) {
            var colon = line.indexOf(":");
            var field = colon < 0 ? line : line.slice(0, colon);
            var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "event") type = value;
            else if (field === "data") data.push(value);
        });
        if (data.length === 0) return null;
        try {
            return { type: type, data: JSON.parse(data.join("\n")) };
        } catch (e) {
            return null;
        }
    }

    function handle(view, event) {
        if (event.type === "token") {
            view.text.append(document.createTextNode(event.data.text || ""));
        } else if (event.type === "citations") {
            view.text.textContent = event.data.answer || view.text.textContent;
            renderSources(view, event.data);
        } else if (event.type === "error") {
            showError(view, event.data.detail || "The answer stopped before it was complete.");
        }
    }

    async function readProblem(response) {
        try {
            var problem = await response.json();
            return problem.detail || problem.title || null;
        } catch (e) {
            return null;
        }
    }

    async function ask(form) {
        var box = form.closest("[data-ask-box]");
        if (!box) return;
        var view = parts(box);
        if (current) current.abort();
        var controller = new AbortController();
        current = controller;

        view.text.textContent = "";
        view.error.hidden = true;
        view.error.textContent = "";
        renderSources(view, { sources: [] });
        view.answer.hidden = false;
        view.answer.setAttribute("aria-busy", "true");
        if (view.button) view.button.disabled = true;
        try {
            var response = await fetch(form.action, {
                method: "POST",
                body: new FormData(form),
                headers: { "Accept": "text/event-stream" },
                credentials: "same-origin",
                signal: controller.signal
            });
            var type = response.headers.get("Content-Type") || "";
            if (!response.ok || type.indexOf("text/event-stream") !== 0) {
                showError(view, (await readProblem(response)) || "The question could not be answered right now.");
                return;
            }
            var reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            var buffer = "";
            for (;;) {
                var chunk = await reader.read();
                if (chunk.done) break;
                buffer += chunk.value.replace(/\r\n?/g, "\n");
                var end;
                while ((end = buffer.indexOf("\n\n")) >= 0) {
                    var event = parseEvent(buffer.slice(0, end));
                    buffer = buffer.slice(end + 2);
                    if (event) handle(view, event);
                }
            }
        } catch (e) {
            if (e.name !== "AbortError") {
                showError(view, "The answer could not be fetched. Check the connection and try again.");
            }
        } finally {
            if (current === controller) {
                current = null;
                view.answer.removeAttribute("aria-busy");
                if (view.button) view.button.disabled = false;
            }
        }
    }

    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.matches("form[data-ask]")) return;
        // Without fetch streams the plain form post still answers (non-streaming).
        if (!window.ReadableStream || !window.TextDecoderStream || !window.AbortController) return;
        event.preventDefault();
        ask(form);
    });
})();
