// Live indexing status through the server's relays of the API's event streams: the library's cards follow every
// visible video (/live/videos), the video page follows its video (/live/videos/{id}). Nothing reloads the page: the
// badge and meter change in place (each event carries the badge, stage and percent as the server renders them), and
// when indexing ends the server's fresh rendering of the changed parts is swapped in.
(function () {
    "use strict";

    var Veeky = window.Veeky;
    var maxRetryDelay = 60000;

    function isFinished(status) { return status === "Completed" || status === "Failed"; }
    function isBusy(status) { return status === "Pending" || status === "Processing"; }

    // The badge as the server rendered it into the event (StatusBadge.razor, the same markup as the page's).
    function paintBadge(holder, state) {
        if (!holder || !state.badge) return;
        var template = document.createElement("template");
        template.innerHTML = state.badge;
        var fresh = template.content.firstElementChild;
        if (fresh) holder.replaceChildren(fresh);
    }

    function paintMeter(meter, state) {
        if (!meter) return;
        meter.value = state.progress || 0;
        meter.hidden = !isBusy(state.status);
    }

    // An EventSource that keeps going. The browser reconnects by itself when a stream ends or drops (sending
    // Last-Event-ID), but gives up for good on an error answer (a 502 while the API restarts, a redirect to sign-in):
    // then this opens a new one, waiting longer each time.
    function follow(url, onState) {
        var source = null, delay = 1000, stopped = false;

        function onEvent(event) {
            var state;
            try { state = JSON.parse(event.data); } catch (e) { return; }
            if (state) onState(state);
        }

        function open() {
            source = new EventSource(url);
            source.addEventListener("open", function () { delay = 1000; });
            source.addEventListener("progress", onEvent);
            source.addEventListener("message", onEvent);
            source.addEventListener("error", function () {
                if (stopped || source.readyState !== EventSource.CLOSED) return;
                setTimeout(function () { if (!stopped) open(); }, delay);
                delay = Math.min(delay * 2, maxRetryDelay);
            });
        }

        open();
        return { close: function () { stopped = true; if (source) source.close(); } };
    }

    // Fetches a server-rendered page or fragment, retrying a few times (the API may be busy right when indexing ends).
    function fetchHtml(url, attempt) {
        attempt = attempt || 0;
        return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.text();
        }).catch(function (error) {
            if (attempt >= 4) throw error;
            return new Promise(function (resolve) { setTimeout(resolve, 1000 * (attempt + 1)); })
                .then(function () { return fetchHtml(url, attempt + 1); });
        });
    }

    // Video page: badge, stage and meter in place while indexing; once it ends, the status area, badge and moments
    // of a fresh rendering of this page replace the old ones ([data-live-swap] regions), without navigating.
    function setUpVideoPage() {
        var panel = document.querySelector("[data-live]");
        if (!panel || !window.EventSource) return;
        var done = false;

        var stream = follow(panel.dataset.live, function (state) {
            if (done) return;
            var stage = panel.querySelector("[data-live-stage]");
            var pct = panel.querySelector("[data-live-percent]");
            if (stage && state.stageText) stage.textContent = state.stageText;
            if (pct && state.percent) pct.textContent = state.percent;
            paintMeter(panel.querySelector("[data-live-meter]"), state);
            paintBadge(document.querySelector("[data-live-badge]"), state);
            if (isFinished(state.status)) {
                // The API ends the stream here; closing it stops the browser from reconnecting to a finished video.
                done = true;
                stream.close();
                swapFinishedPage();
            }
        });
    }

    // The regions of the video page a finished indexing changes: those marked data-live-swap, and the chapters and
    // moments areas the video page keeps under fixed ids for this purpose.
    var swapRegions = "[data-live-swap], #video-chapters, #video-moments";

    function swapKey(region) {
        return region.dataset.liveSwap ? "[data-live-swap='" + region.dataset.liveSwap + "']" : "#" + region.id;
    }

    function swapFinishedPage() {
        fetchHtml(window.location.href).then(function (html) {
            var fresh = new DOMParser().parseFromString(html, "text/html");
            document.querySelectorAll(swapRegions).forEach(function (old) {
                if (!old.isConnected) return; // inside a region replaced just before
                var replacement = fresh.querySelector(swapKey(old));
                if (replacement) old.replaceWith(document.importNode(replacement, true));
            });
            // Other features (the player's moments) bind to the new elements on this signal.
            document.dispatchEvent(new CustomEvent("veeky:swapped"));
        }).catch(function () {
            var status = document.querySelector("[data-live-stage]");
            if (status) status.textContent = "Finished — reload the page to see the moments.";
        });
    }

    // Library: every card on the page follows its video; a card whose video finished is rendered afresh by the
    // server (thumbnail, duration, and for a failure the error with a Reindex form when the viewer may reindex).
    function setUpLibrary() {
        var list = document.querySelector("[data-live-list]");
        if (!list || !window.EventSource) return;

        follow(list.dataset.liveList, function (state) {
            if (!state.status) return;
            var card = list.querySelector("[data-video-card='" + state.id + "']");
            if (card) applyState(card, state);
            else if (state.id in adding) adding[state.id] = state; // its card is on the way: applied once it lands
            else if (isBusy(state.status)) addCard(list, state);
        });
    }

    function applyState(card, state) {
        var previous = card.dataset.status;
        card.dataset.status = state.status;
        paintBadge(card.querySelector("[data-live-badge]"), state);
        paintMeter(card.querySelector("[data-live-meter]"), state);
        if (isBusy(state.status)) {
            // Reindexed elsewhere: the old failure no longer holds.
            var failure = card.querySelector("[data-live-failure]");
            if (failure) failure.remove();
        } else if (isFinished(state.status) && previous !== state.status) {
            replaceCard(card, state.id);
        }
    }

    // A video that is not on the page yet (uploaded after it loaded, perhaps in another tab): on the first page, its
    // card joins at the top, if it belongs to the category the page is filtered by. Events that arrive while the card
    // is fetched are kept (the newest one) and applied to it; a video of another category is left alone from then on.
    var adding = {};
    var elsewhere = {};
    function addCard(list, state) {
        var id = state.id;
        if (list.dataset.liveNew !== "true" || elsewhere[id]) return;
        adding[id] = state;
        var here = window.location.pathname + window.location.search;
        fetchHtml("/live/videos/" + encodeURIComponent(id) + "/card?returnUrl=" + encodeURIComponent(here)).then(function (html) {
            var latest = adding[id];
            delete adding[id];
            var template = document.createElement("template");
            template.innerHTML = html.trim();
            var fresh = template.content.querySelector("[data-video-card]");
            if (!fresh || list.querySelector("[data-video-card='" + id + "']")) return;
            if ((list.dataset.liveCategory && fresh.dataset.category !== list.dataset.liveCategory)
                || (list.dataset.liveUploader && fresh.dataset.uploader !== list.dataset.liveUploader)) {
                elsewhere[id] = true;
                return;
            }
            var heading = list.querySelector("h2");
            if (heading) heading.after(fresh); else list.prepend(fresh);
            list.hidden = false;
            var empty = document.querySelector("[data-live-empty]");
            if (empty) empty.remove();
            countOneMore();
            applyState(fresh, latest);
            document.dispatchEvent(new CustomEvent("veeky:card-added"));
        }).catch(function () {
            delete adding[id]; // a later event tries again
        });
    }

    // The library's "N videos" counts the cards: one that joins adds one.
    function countOneMore() {
        var count = document.querySelector("[data-live-count]");
        var text = count && count.querySelector("[data-live-count-text]");
        if (!count || !text) return;
        var total = (parseInt(count.dataset.liveCount, 10) || 0) + 1;
        count.dataset.liveCount = String(total);
        text.textContent = total + (total === 1 ? " video" : " videos");
    }

    function replaceCard(card, id) {
        var here = window.location.pathname + window.location.search;
        fetchHtml("/live/videos/" + encodeURIComponent(id) + "/card?returnUrl=" + encodeURIComponent(here)).then(function (html) {
            var template = document.createElement("template");
            template.innerHTML = html.trim();
            var fresh = template.content.querySelector("[data-video-card]");
            // A newer event may have moved the card on meanwhile; only a card still in that state is replaced.
            if (fresh && card.isConnected && card.dataset.status === fresh.dataset.status) {
                // A ticked card stays ticked for the bulk bar.
                var ticked = card.querySelector("input[name=ids]");
                var box = fresh.querySelector("input[name=ids]");
                if (ticked && box) box.checked = ticked.checked;
                card.replaceWith(fresh);
            }
        }).catch(function () { /* the badge already says Ready or Failed; the rest shows on the next visit */ });
    }

    Veeky.ready(setUpVideoPage);
    Veeky.ready(setUpLibrary);
})();
