using Veeky.AppHost;

// Veeky's orchestrator. The launch profile picks the shape: `distributed` (first, so `dotnet run` takes it) runs the
// design card's containers and projects; `embedded` runs the all-in-one Veeky.Web host alone, no container engine.
// Both show every resource's logs, traces and metrics in the Aspire dashboard.
var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);

// The first admin, created when no user exists. Secret, so neither shows in the dashboard or the publish output.
var adminEmail = builder.AddParameter("admin-email", secret: true);
var adminPassword = builder.AddParameter("admin-password", secret: true);

if (settings.Edition == AppHostEdition.Embedded)
{
    builder.AddEmbeddedEdition(settings, adminEmail, adminPassword);
}
else
{
    builder.AddDistributedEdition(settings, adminEmail, adminPassword);
}

var app = builder.Build();

if (builder.ExecutionContext.IsRunMode && settings.Edition == AppHostEdition.Distributed && !ContainerRuntimeCheck.IsAvailable())
{
    Console.Error.WriteLine(ContainerRuntimeCheck.UnavailableMessage);
    return 1;
}

app.Run();
return 0;
