using Microsoft.AspNetCore.Builder;
using Veeky;
using Veeky.Indexer;

// The distributed edition's indexer: N replicas share the job table; /health and /alive for the orchestrator.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVeekyCore();
builder.AddVeekyIndexer();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
