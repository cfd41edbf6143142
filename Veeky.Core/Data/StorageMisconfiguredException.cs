namespace Veeky.Data;

/// <summary>The storage cannot be used as configured and waiting will not help (a missing database the role may not
/// create, a refused sign-in); <see cref="Exception.Message"/> is the one sentence the host stops with.</summary>
public sealed class StorageMisconfiguredException(string message) : Exception(message);
