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
            markList("[data-moments] [data-seek]", t);

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
        setUpKeys(player, seek);
        setUpCopyMoment(player);

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
            if (letter(event.key) !== "c" || event.ctrlKey || event.metaKey || event.altKey) return;
            var target = event.target;
            if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
            event.preventDefault();
            toggle();
        });
    }

    // Letters as commands whatever Caps Lock or Shift say: "K" pauses as "k" does.
    function letter(key) { return key && key.length === 1 ? key.toLowerCase() : key; }

    // Whether a key press belongs to something else on the page: typing in a field, or a control that Space presses.
    function isTyping(target) {
        return !!target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    }

    // The player's keys, as video sites have them: ←/→ 5 s, j/l 10 s, k and Space play or pause (c is the captions').
    // Not while typing, not with a modifier (browser shortcuts), and not the arrows on the chapter strip, which move
    // between chapters there.
    function setUpKeys(player, seek) {
        var tools = document.querySelector("[data-player-tools]");
        if (tools) tools.hidden = false;
        document.addEventListener("keydown", function (event) {
            if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
            var target = event.target, onControl = target && target.closest && target.closest("button, a, summary, [role=button]");
            var key = letter(event.key);
            var step = { ArrowLeft: -5, ArrowRight: 5, j: -10, l: 10 }[key];
            if (step !== undefined) {
                if (/^Arrow/.test(key) && target.closest && target.closest("[data-timeline]")) return;
                event.preventDefault();
                var end = isFinite(player.duration) ? player.duration : Infinity;
                seek(Math.min(end, Math.max(0, player.currentTime + step)), false);
            } else if (key === "k" || (key === " " && (!onControl || target === player))) {
                event.preventDefault();
                if (player.paused) player.play().catch(function () { /* refused: stays paused */ });
                else player.pause();
            }
        });
    }

    // "Copy link at this moment": this page's address at the player's time, for anyone who may see the video (a share
    // link for people without an account is the owner's "Share this moment").
    function setUpCopyMoment(player) {
        var button = document.querySelector("[data-copy-moment]");
        var result = document.querySelector("[data-copy-result]");
        if (!button || !result) return;
        button.addEventListener("click", function () {
            var t = Math.floor(player.currentTime * 10) / 10;
            var url = window.location.origin + window.location.pathname + "?t=" + t;
            result.textContent = "";
            var copied = navigator.clipboard ? navigator.clipboard.writeText(url) : Promise.reject(new Error("no clipboard"));
            copied.then(function () {
                result.textContent = "Copied the link to " + clock(t) + ".";
            }, function () {
                // No clipboard (an insecure origin, a refused permission): the link, selected, to copy by hand.
                var field = document.createElement("input");
                field.type = "text";
                field.readOnly = true;
                field.value = url;
                field.setAttribute("aria-label", "Link at this moment");
                result.append(field);
                field.select();
            });
        });
    }

    // 75.4 → "01:15", as MediaTime.Format renders times on the page.
    function clock(seconds) {
        var whole = Math.max(0, Math.floor(seconds)), h = Math.floor(whole / 3600), m = Math.floor(whole % 3600 / 60), s = whole % 60;
        var two = function (n) { return (n < 10 ? "0" : "") + n; };
        return (h > 0 ? h + ":" + two(m) : two(m)) + ":" + two(s);
    }

    // Find in transcript: every match in the moments' words marked, the active one outlined and brought into view;
    // Enter and ↓ go to the next, Shift+Enter and ↑ to the previous, Esc clears.
    function setUpFind() {
        var finder = document.querySelector("[data-transcript-find]");
        if (!finder || finder.dataset.ready) return;
        finder.dataset.ready = "true";
        var input = finder.querySelector("input");
        var count = finder.querySelector("[data-find-count]");
        var marks = [], active = -1, stale = false;
        finder.hidden = false;

        function clear() {
            document.querySelectorAll("mark.find-hit").forEach(function (mark) {
                var parent = mark.parentNode;
                parent.replaceChild(document.createTextNode(mark.textContent), mark);
                parent.normalize();
            });
            marks = [];
            active = -1;
        }

        function textNodes(root) {
            var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
                acceptNode: function (node) {
                    var parent = node.parentElement;
                    if (!parent || parent.closest(".time-range, .segment__label, .sentence__time")) return NodeFilter.FILTER_REJECT;
                    return parent.closest(".sentence__text, .segment__transcript, .segment__ocr, .segment__caption") ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
                },
            });
            var nodes = [];
            while (walker.nextNode()) nodes.push(walker.currentNode);
            return nodes;
        }

        function find() {
            clearTimeout(timer);
            stale = false;
            clear();
            var term = input.value.trim().toLowerCase();
            // The sentences and, on the video page, the moments' words on screen below them.
            var transcript = document.querySelector("[data-transcript-scroll]") || document.querySelector("[data-transcript]");
            if (!term || !transcript) { count.textContent = ""; return; }
            textNodes(transcript).forEach(function (node) {
                var text = node.nodeValue, lower = text.toLowerCase(), at = lower.indexOf(term);
                if (at < 0) return;
                var pieces = document.createDocumentFragment(), from = 0;
                while (at >= 0) {
                    if (at > from) pieces.append(text.slice(from, at));
                    var mark = document.createElement("mark");
                    mark.className = "find-hit";
                    mark.textContent = text.slice(at, at + term.length);
                    pieces.append(mark);
                    marks.push(mark);
                    from = at + term.length;
                    at = lower.indexOf(term, from);
                }
                if (from < text.length) pieces.append(text.slice(from));
                node.parentNode.replaceChild(pieces, node);
            });
            // Matches in page order: the text nodes were walked in order and each was split left to right.
            go(marks.length ? 0 : -1);
        }

        function go(index) {
            if (active >= 0 && marks[active]) marks[active].classList.remove("is-active");
            if (!marks.length) {
                active = -1;
                count.textContent = input.value.trim() ? "No matches" : "";
                return;
            }
            active = (index + marks.length) % marks.length;
            var mark = marks[active];
            mark.classList.add("is-active");
            count.textContent = (active + 1) + " of " + marks.length;
            // Only the transcript's own box scrolls on wide screens; on phones it is a box below the player too.
            var box = document.querySelector("[data-transcript-scroll]");
            if (box) {
                var b = box.getBoundingClientRect(), r = mark.getBoundingClientRect();
                if (r.top < b.top || r.bottom > b.bottom) box.scrollTop += (r.top - b.top) - b.height / 3;
            }
        }

        var timer = 0;
        input.addEventListener("input", function () {
            stale = true;
            clearTimeout(timer);
            timer = setTimeout(find, 120); // a long transcript is walked once per pause in typing, not per key
        });
        function step(by) {
            if (stale) find(); // typed and pressed at once: the first match of what is typed now
            else go(active + by);
        }
        input.addEventListener("keydown", function (event) {
            if (event.key === "Enter" || event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                step(event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey) ? -1 : 1);
            } else if (event.key === "Escape" && input.value) {
                event.preventDefault();
                input.value = "";
                find();
            }
        });
        finder.querySelectorAll("[data-find-step]").forEach(function (button) {
            button.addEventListener("click", function () { step(parseInt(button.dataset.findStep, 10)); });
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
    Veeky.ready(setUpFind);
    // The moments (and their finder) are swapped in afresh when indexing finishes.
    document.addEventListener("veeky:swapped", setUpFind);
})();
