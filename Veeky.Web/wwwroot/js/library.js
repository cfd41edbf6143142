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
        if (action && to) {
            var showTo = function () { to.hidden = action.value !== "move"; to.disabled = action.value !== "move"; };
            action.addEventListener("change", showTo);
            showTo();
        }
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

    window.Veeky.ready(setUpBulk);
    window.Veeky.ready(setUpFilters);
})();
