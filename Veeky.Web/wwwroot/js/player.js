// The video page's player: ?t= deep links, click-to-seek on chapters and moments, and the moment playing now marked
// on the timeline strip and in the transcript (which follows playback without stealing the page's scroll).
(function () {
    "use strict";

    var Veeky = window.Veeky;

    // After the person scrolls the transcript or the strip themselves, leave them there this long.
    var followPauseMs = 4000;

    // Mirrors VideoChapters.At: the last item starting at or before t holds it, unless t falls in a gap; past the
    // end the last one stays current. Items are in start order, so a binary search keeps long videos cheap.
    Veeky.currentItem = function (items, starts, ends, t) {
        var low = 0, high = items.length - 1, found = -1;
        while (low <= high) {
            var middle = (low + high) >> 1;
            if (starts[middle] <= t) { found = middle; low = middle + 1; } else high = middle - 1;
        }
        if (found < 0) return null;
        return t < ends[found] || found === items.length - 1 ? items[found] : null;
    };

    function setUpPlayer() {
        var player = document.getElementById("player");
        if (!player) return;
        var pausedUntil = 0;

        function seek(seconds, play) {
            var go = function () {
                player.currentTime = seconds;
                if (play) player.play().catch(function () { /* autoplay may be refused; the position is set */ });
            };
            if (player.readyState >= 1) go(); else player.addEventListener("loadedmetadata", go, { once: true });
        }

        // Scrolls only the box that holds the item (never the page), and only when the item is out of its view.
        function bringIntoBox(box, item, horizontal) {
            if (!box || Date.now() < pausedUntil) return;
            var b = box.getBoundingClientRect(), r = item.getBoundingClientRect();
            if (horizontal) {
                if (box.scrollWidth <= box.clientWidth || (r.left >= b.left && r.right <= b.right)) return;
                box.scrollLeft += (r.left - b.left) - (b.width - r.width) / 2;
            } else {
                if (box.scrollHeight <= box.clientHeight || (r.top >= b.top && r.bottom <= b.bottom)) return;
                box.scrollTop += (r.top - b.top) - (b.height - r.height) / 3;
            }
        }

        // The seekable items of a list with their times, read once and again only when the page changes (moments
        // swapped in when indexing completes).
        var lists = {};
        function list(selector) {
            if (!lists[selector]) {
                var items = Array.prototype.slice.call(document.querySelectorAll(selector));
                lists[selector] = {
                    items: items,
                    starts: items.map(function (item) { return parseFloat(item.dataset.seek); }),
                    ends: items.map(function (item) { return parseFloat(item.dataset.end); }),
                    current: items.filter(function (item) { return item.classList.contains("is-current"); }),
                };
            }
            return lists[selector];
        }
        if (window.MutationObserver) {
            new MutationObserver(function () { lists = {}; }).observe(document.body, { childList: true, subtree: true });
        }

        function markList(selector, t) {
            var state = list(selector);
            var current = state.items.length ? Veeky.currentItem(state.items, state.starts, state.ends, t) : null;
            state.current.forEach(function (item) {
                if (item === current) return;
                item.classList.remove("is-current");
                item.removeAttribute("aria-current");
            });
            if (current) {
                current.classList.add("is-current");
                current.setAttribute("aria-current", "time");
            }
            state.current = current ? [current] : [];
            return current;
        }

        var lastLine = null, lastChapter = null;

        function mark() {
            var t = player.currentTime;
            var chapter = markList("[data-timeline] [data-seek]", t);
            var line = markList("[data-transcript] [data-seek]", t);

            var scroller = document.querySelector("[data-timeline-track]");
            var playhead = document.querySelector("[data-timeline-playhead]");
            if (playhead && chapter) {
                // The strip's widths are proportional but have a minimum, so place the playhead inside the chapter.
                var start = parseFloat(chapter.dataset.seek), end = parseFloat(chapter.dataset.end);
                var within = end > start ? Math.min(1, Math.max(0, (t - start) / (end - start))) : 0;
                var item = chapter.parentElement;
                playhead.style.left = (item.offsetLeft + within * item.offsetWidth) + "px";
                playhead.hidden = false;
            } else if (playhead) {
                playhead.hidden = true;
            }
            if (chapter && chapter !== lastChapter) bringIntoBox(scroller, chapter, true);
            if (line && line !== lastLine) bringIntoBox(document.querySelector("[data-transcript-scroll]"), line, false);
            lastChapter = chapter;
            lastLine = line;
        }

        var start = parseFloat(player.dataset.start);
        if (!isNaN(start)) seek(start, false);

        // Delegated, so moments swapped in when indexing completes seek too.
        document.addEventListener("click", function (event) {
            var link = event.target.closest ? event.target.closest("[data-seek]") : null;
            if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
            event.preventDefault();
            pausedUntil = 0;
            seek(parseFloat(link.dataset.seek), true);
            // Keep the address shareable: it now points at this moment.
            history.replaceState(null, "", link.getAttribute("href"));
            var box = player.getBoundingClientRect();
            if (box.bottom < 0 || box.top > window.innerHeight) player.scrollIntoView({ behavior: "smooth", block: "nearest" });
        });

        // A person scrolling the transcript or the strip wins over following playback for a while.
        ["wheel", "touchmove", "keydown"].forEach(function (type) {
            document.addEventListener(type, function (event) {
                if (event.target.closest && event.target.closest("[data-transcript-scroll], [data-timeline-track]")) {
                    if (type !== "keydown" || /^(Arrow|Page|Home|End)/.test(event.key)) pausedUntil = Date.now() + followPauseMs;
                }
            }, { passive: true });
        });

        // Left and right arrows move between chapters on the strip, as in a toolbar.
        document.addEventListener("keydown", function (event) {
            var link = event.target.closest ? event.target.closest("[data-timeline] [data-seek]") : null;
            if (!link || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
            var items = Array.prototype.slice.call(document.querySelectorAll("[data-timeline] [data-seek]"));
            var next = items[items.indexOf(link) + (event.key === "ArrowRight" ? 1 : -1)];
            if (next) {
                event.preventDefault();
                next.focus();
            }
        });

        setUpCaptions(player);
        setUpShare(player);

        player.addEventListener("timeupdate", mark);
        player.addEventListener("seeked", mark);
        window.addEventListener("resize", mark);
    }

    // Captions: the button shows or hides the transcript track and this browser remembers the choice; `c` does the same
    // while focus is not in a field.
    var captionsKey = "veeky.captions";
    function setUpCaptions(player) {
        var button = document.querySelector("[data-captions-toggle]");
        var track = player.textTracks && player.textTracks.length ? player.textTracks[0] : null;
        if (!button || !track) return;
        function remembered() {
            try { return localStorage.getItem(captionsKey) === "on"; } catch (e) { return false; }
        }
        function show(on) {
            track.mode = on ? "showing" : "hidden";
            button.setAttribute("aria-pressed", on ? "true" : "false");
            try { localStorage.setItem(captionsKey, on ? "on" : "off"); } catch (e) { /* private mode: not remembered */ }
        }
        function toggle() { show(track.mode !== "showing"); }
        button.hidden = false;
        show(remembered());
        button.addEventListener("click", toggle);
        document.addEventListener("keydown", function (event) {
            if (event.key !== "c" || event.ctrlKey || event.metaKey || event.altKey) return;
            var target = event.target;
            if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
            event.preventDefault();
            toggle();
        });
    }

    // "Share this moment": a link at the player's current time, made by the server and copied for the person to paste.
    function setUpShare(player) {
        var form = document.querySelector("form[data-share]");
        if (!form) return;
        var result = form.querySelector("[data-share-result]");
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            form.querySelector("[data-share-start]").value = (Math.round(player.currentTime * 10) / 10).toString();
            var button = form.querySelector("button");
            button.disabled = true;
            result.textContent = "Creating a link…";
            fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin" })
                .then(function (response) {
                    return response.json().then(function (body) {
                        if (!response.ok) throw new Error(body.detail || "The link could not be created.");
                        return body;
                    });
                })
                .then(function (body) {
                    result.textContent = "";
                    var field = document.createElement("input");
                    field.type = "text";
                    field.readOnly = true;
                    field.value = body.url;
                    field.setAttribute("aria-label", "Share link");
                    field.setAttribute("data-share-url", "");
                    var note = document.createElement("span");
                    result.append(field, note);
                    field.select();
                    var copied = navigator.clipboard ? navigator.clipboard.writeText(body.url) : Promise.reject(new Error("no clipboard"));
                    return copied.then(
                        function () { note.textContent = " Copied."; },
                        function () { note.textContent = " Copy this link."; });
                })
                .catch(function (error) { result.textContent = error.message; })
                .then(function () { button.disabled = false; });
        });
    }

    // Chapter widths proportional to their length, from data-grow: set through the style object because the page's
    // Content-Security-Policy refuses style attributes. Without script the chapters share the strip evenly.
    function sizeChapters() {
        document.querySelectorAll("[data-timeline] [data-grow]").forEach(function (item) {
            item.style.flexGrow = item.dataset.grow;
        });
    }

    Veeky.ready(sizeChapters);
    document.addEventListener("veeky:swapped", sizeChapters);
    Veeky.ready(setUpPlayer);
})();
