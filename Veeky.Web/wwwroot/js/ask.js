// The Ask box on the search page: answers streamed from the API with citations that open the cited moment.
(function () {
    "use strict";
})();
