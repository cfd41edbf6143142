using Veeky.Tests.Infrastructure;

// One PostgreSQL server for the whole run; each test class creates its own database in it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
