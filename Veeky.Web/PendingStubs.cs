// TEMPORARY, delete at merge: stand-ins for the extension methods that the Veeky.Api and Veeky.Indexer branches add,
// so this branch compiles on its own. With the real ones merged, these cause ambiguous calls until removed.

namespace Veeky.Api
{
    /// <summary>Stand-in for Veeky.Api's registration until that branch is merged.</summary>
    public static class PendingApiStubs
    {
        public static IHostApplicationBuilder AddVeekyApi(this IHostApplicationBuilder builder) => builder;

        public static WebApplication MapVeekyApi(this WebApplication app) => app;
    }
}

namespace Veeky.Indexer
{
    /// <summary>Stand-in for Veeky.Indexer's registration until that branch is merged.</summary>
    public static class PendingIndexerStubs
    {
        public static IHostApplicationBuilder AddVeekyIndexer(this IHostApplicationBuilder builder) => builder;
    }
}
