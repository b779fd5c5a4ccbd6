using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace LinkedDataset.Pipeline.Common;

public static partial class Yaml
{
    /// <summary>
    /// Walks the YAML node tree against the target type, so every error knows the node (line) and
    /// the field path it came from. YamlDotNet's own deserialiser reports a position but not the
    /// field, and says nothing about missing fields.
    /// </summary>
    private sealed class Binder(string source)
    {
        private readonly NullabilityInfoContext nullability = new();

        public object? Bind(YamlNode node, Type type, string field, bool allowsNull, object? seed = null)
        {
            if (node is YamlScalarNode scalar && IsNull(scalar))
            {
                var canBeNull = !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
                return canBeNull || allowsNull ? null : throw Fail(node, field, $"needs {Describe(type)}, got nothing");
            }

            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (target == typeof(object))
            {
                return Plain(node);
            }

            if (IsScalarType(target))
            {
                return node is YamlScalarNode s
                    ? ParseScalar(s, target, field)
                    : throw Fail(node, field, $"needs {Describe(target)}, got {Shape(node)}");
            }

            if (ElementTypeOfList(target) is { } element)
            {
                return BindList(node, target, element, field);
            }

            if (ValueTypeOfDictionary(target) is { } value)
            {
                return BindDictionary(node, value, field);
            }

            return BindObject(node, target, field, seed);
        }

        private object BindList(YamlNode node, Type listType, Type element, string field)
        {
            if (node is not YamlSequenceNode sequence)
            {
                throw Fail(node, field, $"needs a list, got {Shape(node)}");
            }

            var items = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            var i = 0;
            foreach (var child in sequence.Children)
            {
                items.Add(Bind(child, element, $"{field}[{i++}]", allowsNull: false));
            }

            if (!listType.IsArray)
            {
                return items;
            }

            var array = Array.CreateInstance(element, items.Count);
            items.CopyTo(array, 0);
            return array;
        }

        private object BindDictionary(YamlNode node, Type value, string field)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw Fail(node, field, $"needs a mapping of names to values, got {Shape(node)}");
            }

            var result = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), value))!;
            foreach (var (keyNode, child) in mapping.Children)
            {
                var key = KeyOf(keyNode, field);
                if (result.Contains(key))
                {
                    throw Fail(keyNode, Join(field, key), "is given twice");
                }

                result.Add(key, Bind(child, value, Join(field, key), allowsNull: false));
            }

            return result;
        }

        private object BindObject(YamlNode node, Type type, string field, object? seed)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw Fail(node, field, $"needs a mapping (name: value lines), got {Shape(node)}");
            }

            var given = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
            foreach (var (keyNode, child) in mapping.Children)
            {
                var key = KeyOf(keyNode, field);
                if (!given.TryAdd(key, (keyNode, child)))
                {
                    throw Fail(keyNode, Join(field, key), "is given twice");
                }
            }

            var parameterless = type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);
            var constructor = parameterless is not null
                ? null
                : type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
                  ?? throw new InvalidOperationException($"{type.Name} has no public constructor to bind YAML to.");
            var parameters = constructor?.GetParameters() ?? [];
            var properties = type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
                .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .Where(p => !parameters.Any(a => string.Equals(a.Name, p.Name, StringComparison.OrdinalIgnoreCase)))
                .ToList();

            var allowed = parameters.Select(p => SnakeCase(p.Name!)).Concat(properties.Select(p => SnakeCase(p.Name))).ToList();
            foreach (var (key, (keyNode, _)) in given)
            {
                if (!allowed.Contains(key))
                {
                    throw Fail(keyNode, Join(field, key), $"is not a known field; allowed: {string.Join(", ", allowed)}");
                }
            }

            var arguments = parameters.Select(p => BindParameter(p, given, mapping, field, seed)).ToArray();
            var instance = constructor is not null ? constructor.Invoke(arguments)
                : seed is not null ? ShallowCopy.Invoke(seed, null)!
                : parameterless!.Invoke(null);
            foreach (var property in properties)
            {
                var name = SnakeCase(property.Name);
                if (given.TryGetValue(name, out var entry))
                {
                    var allowsNull = nullability.Create(property).WriteState != NullabilityState.NotNull;
                    var inner = seed is null ? null : property.GetValue(seed);
                    property.SetValue(instance, Bind(entry.Value, property.PropertyType, Join(field, name), allowsNull, inner));
                }
                else if (seed is not null)
                {
                    property.SetValue(instance, property.GetValue(seed));
                }
                else if (IsRequiredMember(property))
                {
                    throw Missing(mapping, Join(field, name));
                }
            }

            return instance;
        }

        private object? BindParameter(ParameterInfo parameter, Dictionary<string, (YamlNode Key, YamlNode Value)> given, YamlMappingNode mapping, string field, object? seed)
        {
            var name = SnakeCase(parameter.Name!);
            var allowsNull = nullability.Create(parameter).WriteState != NullabilityState.NotNull;
            var seeded = seed?.GetType().GetProperty(char.ToUpperInvariant(parameter.Name![0]) + parameter.Name[1..]);
            if (given.TryGetValue(name, out var entry))
            {
                return Bind(entry.Value, parameter.ParameterType, Join(field, name), allowsNull, seeded?.GetValue(seed));
            }

            if (seeded is not null)
            {
                return seeded.GetValue(seed);
            }

            if (parameter.HasDefaultValue)
            {
                return parameter.DefaultValue ?? (parameter.ParameterType.IsValueType ? Activator.CreateInstance(parameter.ParameterType) : null);
            }

            return allowsNull ? null : throw Missing(mapping, Join(field, name));
        }

        private object ParseScalar(YamlScalarNode node, Type type, string field)
        {
            var text = node.Value ?? "";
            if (type == typeof(string))
            {
                return text;
            }

            if (type == typeof(bool))
            {
                return bool.TryParse(text, out var b) ? b : throw Fail(node, field, $"needs true or false, got '{Shorten(text)}'");
            }

            if (type.IsEnum)
            {
                var names = Enum.GetNames(type);
                var match = names.FirstOrDefault(n => string.Equals(n, text.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
                return match is not null
                    ? Enum.Parse(type, match)
                    : throw Fail(node, field, $"is '{Shorten(text)}'; allowed: {string.Join(", ", names.Select(SnakeCase))}");
            }

            if (type == typeof(DateOnly))
            {
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d
                    : throw Fail(node, field, $"needs a date written YYYY-MM-DD, got '{Shorten(text)}'");
            }

            var isWhole = type != typeof(double) && type != typeof(float) && type != typeof(decimal);
            var styles = isWhole ? NumberStyles.AllowLeadingSign : NumberStyles.Float;
            try
            {
                object parsed = type == typeof(ulong) ? ulong.Parse(text, styles, CultureInfo.InvariantCulture)
                    : isWhole ? long.Parse(text, styles, CultureInfo.InvariantCulture)
                    : type == typeof(decimal) ? decimal.Parse(text, styles, CultureInfo.InvariantCulture)
                    : double.Parse(text, styles, CultureInfo.InvariantCulture);
                return Convert.ChangeType(parsed, type, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw Fail(node, field, $"needs {Describe(type)}, got '{Shorten(text)}'");
            }
        }

        private string KeyOf(YamlNode keyNode, string field) =>
            keyNode is YamlScalarNode { Value: { } key } ? key : throw Fail(keyNode, field, "has a key that is not plain text");

        private PipelineException Fail(YamlNode node, string field, string what) =>
            new(field.Length == 0
                ? $"{source}: line {node.Start.Line}: the file {what}."
                : $"{source}: line {node.Start.Line}, field '{field}' {what}.");

        private PipelineException Missing(YamlMappingNode mapping, string field) =>
            new($"{source}: line {Math.Max(1L, mapping.Start.Line)}, field '{field}' is required but missing.");
    }

    private static readonly MethodInfo ShallowCopy =
        typeof(object).GetMethod(nameof(MemberwiseClone), BindingFlags.Instance | BindingFlags.NonPublic)!;

    private static string Join(string field, string name) => field.Length == 0 ? name : $"{field}.{name}";

    // A number is a word of its own: ReferralRatePer1000Adults is referral_rate_per_1000_adults.
    private static string SnakeCase(string name) =>
        System.Text.RegularExpressions.Regex.Replace(
            UnderscoredNamingConvention.Instance.Apply(char.ToUpperInvariant(name[0]) + name[1..]), "(?<=[a-z])(?=[0-9])", "_");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static bool IsScalarType(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateOnly);

    private static Type? ElementTypeOfList(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!type.IsGenericType || type.GetGenericArguments().Length != 1)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>)
               || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? ValueTypeOfDictionary(Type type)
    {
        if (!type.IsGenericType || type.GetGenericArguments() is not [var key, var value] || key != typeof(string))
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>)
            ? value
            : null;
    }

    private static string Describe(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "text"
        : type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? "a number"
        : type == typeof(DateOnly) ? "a date written YYYY-MM-DD"
        : type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type).Select(SnakeCase))}"
        : type.IsPrimitive ? $"a whole number"
        : "a value";

    private static string Shape(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode s => $"'{Shorten(s.Value ?? "")}'",
        _ => "something else",
    };

    /// <summary>A node as plain .NET values: text, lists of values, or string-keyed dictionaries.</summary>
    private static object? Plain(YamlNode node) => node switch
    {
        YamlScalarNode s => IsNull(s) ? null : s.Value,
        YamlSequenceNode q => q.Children.Select(Plain).ToList(),
        YamlMappingNode m => m.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => Plain(c.Value)),
        _ => null,
    };

    // By name: ScottPlot ships its own copy of RequiredMemberAttribute, so the type name is ambiguous here.
    private static bool IsRequiredMember(PropertyInfo property) =>
        property.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.RequiredMemberAttribute");
}
