// The video page's player: ?t= deep links, click-to-seek, the moment playing now.
(function () {
    "use strict";

    var Veeky = window.Veeky;

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

    Veeky.ready(setUpPlayer);
})();
