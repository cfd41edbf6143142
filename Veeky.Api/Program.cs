using Veeky;
using Veeky.Api.Admin;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddVeekyCore();
builder.AddVeekyApi();

var app = builder.Build();

// Maintenance commands run on the same configuration and exit instead of serving.
if (AdminCommands.IsCommand(args))
{
    return await AdminCommands.RunAsync(app.Services, Console.Out);
}

app.MapVeekyApi();
app.MapDefaultEndpoints();

app.Run();
// Non-zero when a start-up check stopped the host (e.g. a database the role may not create).
return Environment.ExitCode;
