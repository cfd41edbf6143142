// Live indexing progress through the server's relay of the API's event streams.
(function () {
    "use strict";

    var Veeky = window.Veeky;

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
            if (stage) stage.textContent = Veeky.stageText(state.stage);
            if (pct) pct.textContent = Veeky.percent(state.progress);
            if (meter) meter.value = state.progress || 0;
            if (badge && state.status === "Processing") badge.textContent = Veeky.stageText(state.stage) + " " + Veeky.percent(state.progress);
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

    Veeky.ready(setUpLiveProgress);
})();
