// The library's bulk bar: "select all on this page", the running count of the selection, and the category choice shown
// only for "Move". Without script the cards' checkboxes and the bar's form still work; the confirmation page counts.
(function () {
    "use strict";

    function setUpBulk() {
        var form = document.querySelector("form[data-bulk]");
        if (!form) return;
        var all = form.querySelector("[data-bulk-all]");
        var allBox = all && all.querySelector("input");
        var count = form.querySelector("[data-bulk-count]");
        var action = form.querySelector("select[name=action]");
        var to = form.querySelector("[data-bulk-to]");
        var hint = count ? count.textContent : "";

        // Cards arrive and are replaced live (live.js), so the boxes are looked up each time.
        function boxes() { return document.querySelectorAll("input[form=bulk][name=ids]"); }

        function paint() {
            var list = boxes(), ticked = 0;
            list.forEach(function (box) { if (box.checked) ticked++; });
            if (count) count.textContent = ticked === 0 ? hint : ticked + (ticked === 1 ? " video selected" : " videos selected");
            if (allBox) {
                allBox.checked = list.length > 0 && ticked === list.length;
                allBox.indeterminate = ticked > 0 && ticked < list.length;
            }
        }

        if (all) {
            all.hidden = false;
            allBox.addEventListener("change", function () {
                boxes().forEach(function (box) { box.checked = allBox.checked; });
                paint();
            });
        }
        document.addEventListener("change", function (event) {
            if (event.target.matches && event.target.matches("input[form=bulk][name=ids]")) paint();
        });
        var showTo = function () {
            if (!action || !to) return;
            to.hidden = action.value !== "move";
            to.disabled = action.value !== "move";
        };
        if (action) action.addEventListener("change", showTo);
        showTo();
        // Clear is the form's reset: the browser unticks the boxes after this event, so the bar is painted just after.
        form.addEventListener("reset", function () {
            setTimeout(function () { showTo(); paint(); }, 0);
        });
        form.addEventListener("submit", function (event) {
            var any = Array.prototype.some.call(boxes(), function (box) { return box.checked; });
            if (!any) {
                event.preventDefault();
                if (count) count.textContent = "Tick at least one video first.";
            }
        });
        document.addEventListener("veeky:card-added", paint);
        paint();
    }

    // The filter form leaves fields at "any" (and the default order) out of the address, so a shared link reads as
    // what was asked: /?q=revenue&sort=title rather than a row of empty values.
    function setUpFilters() {
        var form = document.querySelector("form.library-filters");
        if (!form) return;
        form.addEventListener("submit", function () {
            Array.prototype.forEach.call(form.elements, function (field) {
                if (!field.name) return;
                if (field.value === "" || (field.name === "sort" && field.value === "newest")) field.disabled = true;
            });
        });
        // Back to a page whose fields were disabled on the way out: enable them again.
        window.addEventListener("pageshow", function () {
            Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
        });
    }

    // Keyframe scrub on the cards: the pointer's place across a thumbnail (or ←/→ while the card's link has focus) picks
    // one of the video's keyframes. The frames are asked for on a card's first hover or focus only, and lie over the
    // thumbnail (card__frames), so the card never changes size. Touch is left alone: a tap opens the video.
    function setUpScrub() {
        function thumbOf(target) { return target && target.closest ? target.closest("[data-scrub]") : null; }
        function frames(thumb) { return thumb.querySelectorAll("[data-frames] img"); }

        function load(thumb) {
            if (thumb.dataset.scrubState) return;
            thumb.dataset.scrubState = "loading";
            fetch(thumb.dataset.scrub, { credentials: "same-origin", headers: { Accept: "text/html" } })
                // A lost session answers with the sign-in page: no frames then, rather than that page in the card.
                .then(function (response) { return response.ok && !response.redirected ? response.text() : ""; })
                .then(function (html) {
                    var template = document.createElement("template");
                    template.innerHTML = html;
                    thumb.append(template.content);
                    thumb.dataset.scrubState = "ready";
                    // Asked for while moving or stepping: show where the person is now.
                    if (thumb.dataset.scrubWanted !== undefined) show(thumb, parseFloat(thumb.dataset.scrubWanted));
                }, function () { delete thumb.dataset.scrubState; });
        }

        // Shows the frame at `at` (0 to 1 along the video); remembered while the frames are still on their way.
        function show(thumb, at) {
            thumb.dataset.scrubWanted = at;
            var list = frames(thumb);
            if (!list.length) return;
            var index = Math.min(list.length - 1, Math.max(0, Math.floor(at * list.length)));
            thumb.dataset.scrubIndex = index;
            list.forEach(function (frame, i) { frame.hidden = i !== index; });
            var time = thumb.querySelector("[data-scrub-time]"), bar = thumb.querySelector("[data-scrub-bar]");
            if (time) { time.textContent = list[index].dataset.at; time.hidden = false; }
            if (bar) { bar.style.width = ((index + 1) / list.length * 100) + "%"; bar.hidden = false; }
        }

        function reset(thumb) {
            delete thumb.dataset.scrubWanted;
            delete thumb.dataset.scrubIndex;
            thumb.querySelectorAll("[data-frames] img, [data-scrub-time], [data-scrub-bar]").forEach(function (item) { item.hidden = true; });
        }

        document.addEventListener("pointermove", function (event) {
            var thumb = thumbOf(event.target);
            if (!thumb || event.pointerType === "touch") return;
            load(thumb);
            var box = thumb.getBoundingClientRect();
            if (box.width > 0) show(thumb, (event.clientX - box.left) / box.width);
        });
        document.addEventListener("pointerout", function (event) {
            var thumb = thumbOf(event.target);
            if (thumb && !thumb.contains(event.relatedTarget)) reset(thumb);
        });

        function thumbOfLink(target) {
            var link = target && target.closest ? target.closest(".card__link") : null;
            return link ? link.querySelector("[data-scrub]") : null;
        }
        document.addEventListener("focusin", function (event) {
            var thumb = thumbOfLink(event.target);
            if (thumb) load(thumb);
        });
        document.addEventListener("focusout", function (event) {
            var thumb = thumbOfLink(event.target);
            if (thumb) reset(thumb);
        });
        document.addEventListener("keydown", function (event) {
            if ((event.key !== "ArrowLeft" && event.key !== "ArrowRight") || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
            var thumb = thumbOfLink(event.target);
            if (!thumb) return;
            event.preventDefault();
            load(thumb);
            // Steps of one frame; the count is known once the frames are here (twelve are asked for until then).
            var count = frames(thumb).length || 12;
            var current = thumb.dataset.scrubIndex !== undefined ? parseInt(thumb.dataset.scrubIndex, 10) : -1;
            var next = Math.min(count - 1, Math.max(0, current + (event.key === "ArrowRight" ? 1 : -1)));
            thumb.dataset.scrubIndex = next;
            show(thumb, (next + 0.5) / count);
        });
    }

    // Drag and drop anywhere on the library, for people who may upload (the page renders the drop section only for
    // them): the files join the upload form's queue (upload.js), shown above the filters, and nothing is sent until
    // Upload is pressed. A drop on the form's own drop zone is already queued there.
    function setUpDropUpload() {
        var section = document.querySelector("[data-library-drop]");
        var hint = document.querySelector("[data-library-drop-hint]");
        if (!section || !hint) return;
        var depth = 0; // dragenter/dragleave pairs per element crossed: the hint goes when the drag leaves the page
        function carriesFiles(event) {
            return !!event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
        }
        document.addEventListener("dragenter", function (event) {
            if (!carriesFiles(event)) return;
            depth++;
            hint.hidden = false;
        });
        document.addEventListener("dragover", function (event) {
            if (!carriesFiles(event)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = "copy";
        });
        document.addEventListener("dragleave", function (event) {
            if (!carriesFiles(event)) return;
            depth = Math.max(0, depth - 1);
            if (depth === 0) hint.hidden = true;
        });
        document.addEventListener("drop", function (event) {
            depth = 0;
            hint.hidden = true;
            if (!carriesFiles(event) || event.defaultPrevented) return;
            event.preventDefault();
            if (!window.Veeky.queueUploads || !event.dataTransfer.files.length) return;
            section.hidden = false;
            window.Veeky.queueUploads(event.dataTransfer.files);
            var heading = section.querySelector("h2");
            heading.focus();
            section.scrollIntoView({ block: "start" });
        });
    }

    window.Veeky.ready(setUpBulk);
    window.Veeky.ready(setUpDropUpload);
    window.Veeky.ready(setUpScrub);
    window.Veeky.ready(setUpFilters);
})();
