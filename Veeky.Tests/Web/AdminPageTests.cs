using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Contracts;
using Veeky.Tests.Infrastructure;
using Veeky.Web.Api;

namespace Veeky.Tests.Web;

/// <summary>
/// The admin pages for users and categories against a stand-in API that answers as the real one does (its 409
/// sentences and validation <c>errors</c> copied from UserEndpoints and CategoryEndpoints): what is sent, and how a
/// refusal is shown.
/// </summary>
public sealed class AdminPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly CategorySummary Sales = new(Guid.Parse("cccccccc-0000-0000-0000-000000000002"), "Sales", "clip-vit-b-32");
    private static readonly UserSummary Bob = new(Guid.Parse("bbbbbbbb-0000-0000-0000-000000000002"), "bob@veeky.test", "Editor", [WebFakeApi.Engineering.Id]);

    [Fact]
    public async Task The_admin_page_lists_users_with_role_and_category_names_and_categories_with_their_model()
    {
        await using var admin = await AdminSite.StartAsync();

        var html = await admin.Client.GetStringAsync("/admin", Ct);

        Assert.Contains("bob@veeky.test", html);
        Assert.Contains("role--editor", html);
        Assert.Contains("<td>Engineering</td>", html);
        Assert.Contains($"href=\"/admin/users/{Bob.Id}\"", html);
        Assert.Contains("Sales", html);
        Assert.Contains("clip-vit-b-32", html);
        Assert.Contains($"href=\"/admin/categories/{Sales.Id}\"", html);
    }

    [Fact]
    public async Task Adding_a_user_sends_the_role_and_the_ticked_categories()
    {
        await using var admin = await AdminSite.StartAsync();

        using var response = await admin.PostAsync("/admin", "create-user",
            ("NewUser.Email", " carol@veeky.test "), ("NewUser.Password", "Long-enough-1"), ("NewUser.Role", "User"),
            ("categoryIds", Sales.Id.ToString()), ("categoryIds", WebFakeApi.Engineering.Id.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.AbsolutePath);
        var sent = admin.Api.Body<CreateUserRequest>(HttpMethod.Post, "/api/users");
        Assert.Equal("carol@veeky.test", sent.Email);
        Assert.Equal("User", sent.Role);
        Assert.Equal([Sales.Id, WebFakeApi.Engineering.Id], sent.CategoryIds);
    }

    [Fact]
    public async Task A_refused_password_is_shown_under_its_field_and_the_form_keeps_what_was_typed()
    {
        await using var admin = await AdminSite.StartAsync();

        using var response = await admin.PostAsync("/admin", "create-user",
            ("NewUser.Email", "carol@veeky.test"), ("NewUser.Password", "short"), ("NewUser.Role", "Editor"), ("categoryIds", Sales.Id.ToString()));
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<p class=\"field__error\" id=\"new-password-error\">Passwords must be at least 8 characters.</p>", html);
        Assert.Contains("aria-describedby=\"new-password-error\"", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Contains("value=\"carol@veeky.test\"", html);
        Assert.Contains("<option value=\"Editor\" selected", html);
        Assert.Contains($"value=\"{Sales.Id}\" checked", html);
        // The field says it all: no second copy of the message at the top of the form.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "Passwords must be at least 8 characters"));
    }

    [Fact]
    public async Task A_taken_email_is_refused_with_the_api_sentence()
    {
        await using var admin = await AdminSite.StartAsync();

        using var response = await admin.PostAsync("/admin", "create-user",
            ("NewUser.Email", Bob.Email), ("NewUser.Password", "Long-enough-1"), ("NewUser.Role", "User"));
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("role=\"alert\">A user with the email bob@veeky.test already exists.</p>", html);
    }

    [Fact]
    public async Task Changing_a_user_sends_the_new_role_and_categories()
    {
        await using var admin = await AdminSite.StartAsync();

        var page = await admin.Client.GetStringAsync($"/admin/users/{Bob.Id}", Ct);
        using var response = await admin.PostAsync($"/admin/users/{Bob.Id}", "edit-user", ("role", "Admin"), ("categoryIds", Sales.Id.ToString()));

        Assert.Contains("<option value=\"Editor\" selected", page);
        Assert.Contains($"value=\"{WebFakeApi.Engineering.Id}\" checked", page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var sent = admin.Api.Body<UpdateUserRequest>(HttpMethod.Put, $"/api/users/{Bob.Id}");
        Assert.Equal("Admin", sent.Role);
        Assert.Equal([Sales.Id], sent.CategoryIds);
    }

    [Fact]
    public async Task Deleting_a_user_who_uploaded_videos_shows_why_it_was_refused()
    {
        await using var admin = await AdminSite.StartAsync();

        using var response = await admin.PostAsync($"/admin/users/{Bob.Id}", "delete-user");
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The user uploaded videos; delete those videos first, or change the user&#x27;s role instead.", html);
        Assert.Contains(admin.Api.Sent, r => r.Method == HttpMethod.Delete && r.Path == $"/api/users/{Bob.Id}");
    }

    [Fact]
    public async Task Adding_a_category_sends_its_image_embedding_model()
    {
        await using var admin = await AdminSite.StartAsync();

        using var response = await admin.PostAsync("/admin", "create-category", ("NewCategory.Name", "Marketing"), ("NewCategory.ImageEmbeddingModel", " siglip-base "));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var sent = admin.Api.Body<CategoryRequest>(HttpMethod.Post, "/api/categories");
        Assert.Equal("Marketing", sent.Name);
        Assert.Equal("siglip-base", sent.ImageEmbeddingModel);
    }

    [Fact]
    public async Task A_refused_category_name_is_shown_under_the_name_field()
    {
        await using var admin = await AdminSite.StartAsync();

        using var response = await admin.PostAsync("/admin", "create-category", ("NewCategory.Name", " "));
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<p class=\"field__error\" id=\"new-category-error\">The name must have 1 to 100 characters.</p>", html);
        Assert.Contains("aria-describedby=\"new-category-error\"", html);
    }

    [Fact]
    public async Task Editing_a_category_saves_its_name_and_model()
    {
        await using var admin = await AdminSite.StartAsync();

        var page = await admin.Client.GetStringAsync($"/admin/categories/{Sales.Id}", Ct);
        using var response = await admin.PostAsync($"/admin/categories/{Sales.Id}", "edit-category", ("Input.Name", "Sales EMEA"), ("Input.ImageEmbeddingModel", ""));

        Assert.Contains("value=\"clip-vit-b-32\"", page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var sent = admin.Api.Body<CategoryRequest>(HttpMethod.Put, $"/api/categories/{Sales.Id}");
        Assert.Equal("Sales EMEA", sent.Name);
        Assert.Null(sent.ImageEmbeddingModel);
    }

    [Fact]
    public async Task Deleting_a_category_videos_use_shows_the_api_sentence()
    {
        await using var admin = await AdminSite.StartAsync();

        using var response = await admin.PostAsync($"/admin/categories/{WebFakeApi.Engineering.Id}", "delete-category");
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("role=\"alert\">Videos still use the category Engineering; move or delete them first.</p>", html);
    }

    [Fact]
    public async Task Deleting_an_unused_category_goes_back_to_the_admin_page()
    {
        await using var admin = await AdminSite.StartAsync();

        using var response = await admin.PostAsync($"/admin/categories/{Sales.Id}", "delete-category");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.AbsolutePath);
        Assert.Contains(admin.Api.Sent, r => r.Method == HttpMethod.Delete && r.Path == $"/api/categories/{Sales.Id}");
    }

    /// <summary>The web UI with <see cref="AdminApi"/> in front of the shared stand-in API, signed in as its admin.</summary>
    private sealed class AdminSite : IAsyncDisposable
    {
        private readonly WebUiFactory factory = new();
        private readonly WebApplicationFactory<Veeky.Web.Components.App> site;

        private AdminSite()
        {
            Api = new AdminApi(factory.Api);
            site = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
                services.AddHttpClient<VeekyApiClient>().ConfigurePrimaryHttpMessageHandler(() => Api)));
            Client = site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        }

        public static async Task<AdminSite> StartAsync()
        {
            var admin = new AdminSite();
            using var signIn = await WebPageForms.SignInAsync(admin.Client, WebFakeApi.Email, WebFakeApi.Password);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            return admin;
        }

        public AdminApi Api { get; }

        public HttpClient Client { get; }

        /// <summary>Posts one of the page's forms (by its Blazor form name) with the given fields, repeated names allowed.</summary>
        public async Task<HttpResponseMessage> PostAsync(string pageUrl, string formName, params (string Name, string Value)[] fields)
        {
            var hidden = WebPageForms.HiddenFields(await Client.GetStringAsync(pageUrl, Ct));
            var form = new List<KeyValuePair<string, string>>
            {
                new("_handler", formName),
                new("__RequestVerificationToken", hidden["__RequestVerificationToken"]),
            };
            form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
            return await Client.PostAsync(pageUrl, new FormUrlEncodedContent(form), Ct);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await site.DisposeAsync();
            await factory.DisposeAsync();
        }
    }

    /// <summary>Users and categories as the real API answers them; everything else goes to the shared stand-in.</summary>
    private sealed class AdminApi(WebFakeApi inner) : DelegatingHandler(inner)
    {
        public ConcurrentQueue<(HttpMethod Method, string Path, byte[] Body)> Sent { get; } = new();

        public T Body<T>(HttpMethod method, string path) =>
            JsonSerializer.Deserialize<T>(Assert.Single(Sent, r => r.Method == method && r.Path == path).Body, VeekyApiClient.Json)!;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (!path.StartsWith("/api/users", StringComparison.Ordinal) && !path.StartsWith("/api/categories", StringComparison.Ordinal))
            {
                return await base.SendAsync(request, cancellationToken);
            }
            if (request.Headers.Authorization?.ToString() != $"Bearer {inner.CurrentAccessToken}")
            {
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            if (request.Method != HttpMethod.Get)
            {
                Sent.Enqueue((request.Method, path, body));
            }
            return (request.Method.Method, path) switch
            {
                ("GET", "/api/users") => Json(new[] { new UserSummary(WebFakeApi.UserId, WebFakeApi.Email, "Admin", []), Bob }),
                ("GET", "/api/categories") => Json(new[] { WebFakeApi.Engineering, Sales }),
                ("POST", "/api/users") => CreateUser(JsonSerializer.Deserialize<CreateUserRequest>(body, VeekyApiClient.Json)!),
                ("PUT", var p) when p == $"/api/users/{Bob.Id}" => Json(Bob),
                ("DELETE", var p) when p == $"/api/users/{Bob.Id}" =>
                    Problem(HttpStatusCode.Conflict, "The user uploaded videos; delete those videos first, or change the user's role instead."),
                ("POST", "/api/categories") => SaveCategory(Guid.NewGuid(), JsonSerializer.Deserialize<CategoryRequest>(body, VeekyApiClient.Json)!),
                ("PUT", var p) when p == $"/api/categories/{Sales.Id}" => SaveCategory(Sales.Id, JsonSerializer.Deserialize<CategoryRequest>(body, VeekyApiClient.Json)!),
                ("DELETE", var p) when p == $"/api/categories/{WebFakeApi.Engineering.Id}" =>
                    Problem(HttpStatusCode.Conflict, "Videos still use the category Engineering; move or delete them first."),
                ("DELETE", var p) when p == $"/api/categories/{Sales.Id}" => new HttpResponseMessage(HttpStatusCode.NoContent),
                _ => Problem(HttpStatusCode.NotFound, "Not found."),
            };
        }

        private static HttpResponseMessage CreateUser(CreateUserRequest user) =>
            user.Email == Bob.Email ? Problem(HttpStatusCode.Conflict, $"A user with the email {user.Email} already exists.")
            : user.Password is not { Length: >= 8 } ? ValidationProblem("password", "Passwords must be at least 8 characters.")
            : Json(new UserSummary(Guid.NewGuid(), user.Email!, user.Role!, user.CategoryIds ?? []), HttpStatusCode.Created);

        private static HttpResponseMessage SaveCategory(Guid id, CategoryRequest category) =>
            string.IsNullOrWhiteSpace(category.Name)
                ? ValidationProblem("name", "The name must have 1 to 100 characters.")
                : Json(new CategorySummary(id, category.Name, category.ImageEmbeddingModel));

        protected override void Dispose(bool disposing)
        {
            // The shared stand-in outlives every handler chain the client factory builds and retires.
        }

        private static HttpResponseMessage Json<T>(T value, HttpStatusCode status = HttpStatusCode.OK) =>
            new(status) { Content = JsonContent.Create(value, options: VeekyApiClient.Json) };

        private static HttpResponseMessage ValidationProblem(string field, string message) =>
            new(HttpStatusCode.BadRequest)
            {
                Content = JsonContent.Create(new { title = "One or more validation errors occurred.", status = 400, errors = new Dictionary<string, string[]> { [field] = [message] } }),
            };

        private static HttpResponseMessage Problem(HttpStatusCode status, string detail) =>
            new(status) { Content = JsonContent.Create(new { title = status.ToString(), status = (int)status, detail }) };
    }
}
