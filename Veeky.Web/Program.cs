using Veeky;
using Veeky.Api;
using Veeky.Indexer;
using Veeky.Web;
using Veeky.Web.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

// Distributed edition: a separate API is configured and this host serves only the UI. Embedded edition (the
// default): this host is the all-in-one host with the API and the indexer in-process.
var remoteApi = ApiLocation.FromConfiguration(builder.Configuration);
var allInOne = remoteApi is null;
if (allInOne)
{
    builder.AddVeekyCore();
    builder.AddVeekyApi();
    builder.AddVeekyIndexer();
}
builder.AddVeekyWeb(remoteApi);

var app = builder.Build();

if (allInOne)
{
    app.MapVeekyApi();
}
app.MapDefaultEndpoints();
app.MapVeekyWeb();

app.Run();
