using Veeky;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddVeekyCore();
builder.AddVeekyApi();

var app = builder.Build();

app.MapVeekyApi();
app.MapDefaultEndpoints();

app.Run();
