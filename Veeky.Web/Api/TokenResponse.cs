namespace Veeky.Web.Api;

/// <summary>Answer of login and refresh: a bearer access token, its lifetime in seconds and a refresh token.</summary>
public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);
