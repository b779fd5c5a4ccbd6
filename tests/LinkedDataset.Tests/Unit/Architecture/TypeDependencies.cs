using Mono.Cecil;
using Mono.Cecil.Cil;

namespace LinkedDataset.Tests.Unit.Architecture;

/// <summary>One type of an assembly using another: <c>From</c> and <c>To</c> are full names of top-level types.</summary>
internal sealed record TypeDependency(string FromNamespace, string From, string ToNamespace, string To);

/// <summary>
/// Every type another type references, read from the compiled assembly with Mono.Cecil: base types,
/// interfaces, fields, properties, method signatures, local variables and every type, method and field
/// an instruction names. Reading the IL (not the source's using lines) catches fully qualified names
/// and calls made only inside method bodies; nested and compiler-generated types (lambdas, async state
/// machines) count as their outermost type.
/// </summary>
internal static class TypeDependencies
{
    public static IReadOnlyList<TypeDependency> Of(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var found = new HashSet<TypeDependency>();
        foreach (var type in module.GetTypes())
        {
            var from = Outermost(type);
            foreach (var reference in Referenced(type).SelectMany(Expand))
            {
                var to = Outermost(reference);
                if (to.Scope == module && to.FullName != from.FullName && !string.IsNullOrEmpty(to.Namespace))
                {
                    found.Add(new TypeDependency(from.Namespace, from.FullName, to.Namespace, to.FullName));
                }
            }
        }

        return found.ToList();
    }

    private static IEnumerable<TypeReference?> Referenced(TypeDefinition type)
    {
        yield return type.BaseType;
        foreach (var i in type.Interfaces)
        {
            yield return i.InterfaceType;
        }

        foreach (var attribute in type.CustomAttributes)
        {
            yield return attribute.AttributeType;
        }

        foreach (var field in type.Fields)
        {
            yield return field.FieldType;
        }

        foreach (var property in type.Properties)
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.Methods)
        {
            yield return method.ReturnType;
            foreach (var parameter in method.Parameters)
            {
                yield return parameter.ParameterType;
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                yield return variable.VariableType;
            }

            foreach (var instruction in method.Body.Instructions)
            {
                foreach (var named in Operand(instruction))
                {
                    yield return named;
                }
            }
        }
    }

    private static IEnumerable<TypeReference?> Operand(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                yield return type;
                break;
            case MethodReference method:
                yield return method.DeclaringType;
                yield return method.ReturnType;
                foreach (var parameter in method.Parameters)
                {
                    yield return parameter.ParameterType;
                }

                if (method is GenericInstanceMethod generic)
                {
                    foreach (var argument in generic.GenericArguments)
                    {
                        yield return argument;
                    }
                }

                break;
            case FieldReference field:
                yield return field.DeclaringType;
                yield return field.FieldType;
                break;
        }
    }

    /// <summary>A type and the types inside it: element types of arrays and references, generic arguments.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference? type)
    {
        switch (type)
        {
            case null or GenericParameter:
                yield break;
            case GenericInstanceType generic:
                foreach (var inner in Expand(generic.ElementType).Concat(generic.GenericArguments.SelectMany(Expand)))
                {
                    yield return inner;
                }

                yield break;
            case TypeSpecification specification:
                foreach (var inner in Expand(specification.ElementType))
                {
                    yield return inner;
                }

                yield break;
            default:
                yield return type;
                yield break;
        }
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }
}
