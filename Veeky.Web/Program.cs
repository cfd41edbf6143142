using Veeky;
using Veeky.Api;
using Veeky.Api.Admin;
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

// The all-in-one host owns the embedded edition's data, so its maintenance commands run here too, then exit.
if (allInOne && AdminCommands.IsCommand(args))
{
    return await AdminCommands.RunAsync(app.Services, Console.Out);
}

if (allInOne)
{
    app.MapVeekyApi();
}
app.MapDefaultEndpoints();
app.MapVeekyWeb();

app.Run();
// Non-zero when a start-up check stopped the host (e.g. a database the role may not create).
return Environment.ExitCode;
