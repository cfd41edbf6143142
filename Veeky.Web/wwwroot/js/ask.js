// The Ask box on the search page: answers streamed from the API, then the moments they were built from (the cited
// ones marked), each opening its video at the moment.
// What the model or the API sends is added as text (textContent, text nodes), never as HTML; the only HTML taken is the
// sources fragment this site's server rendered (Razor, which encodes what it writes) into its own relay's stream.
(function () {
    "use strict";

    var current = null;

    function parts(box) {
        return {
            answer: box.querySelector("[data-ask-answer]"),
            error: box.querySelector("[data-ask-error]"),
            text: box.querySelector("[data-ask-text]"),
            sources: box.querySelector("[data-ask-sources]"),
            button: box.querySelector("form[data-ask] button[type=submit]")
        };
    }

    function showError(view, message) {
        view.error.textContent = message;
        view.error.hidden = false;
        view.answer.hidden = false;
    }

    // The answer's sources arrive rendered by the server (the AskSources component, as the page without script shows
    // them): they replace the box's sources as they are. Before an answer, none.
    function showSources(view, html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        var fresh = template.content.querySelector("[data-ask-sources]");
        if (!fresh) return;
        view.sources.replaceWith(fresh);
        view.sources = fresh;
    }

    function clearSources(view) {
        view.sources.hidden = true;
        var list = view.sources.querySelector("[data-ask-sources-list]");
        if (list) list.replaceChildren();
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
        } else if (event.type === "sources") {
            showSources(view, event.data.html || "");
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
        clearSources(view);
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
