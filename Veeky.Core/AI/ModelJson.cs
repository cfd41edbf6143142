using System.Text.Encodings.Web;

namespace Veeky.AI;

/// <summary>JSON writing shared by the model adapters.</summary>
internal static class ModelJson
{
    /// <summary>The default encoder escapes every '+' (an HTML-sensitive character), and base64 images are full of
    /// them: 6 bytes for 1 and a slower write. These bodies go to a model server, never into HTML.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
}
