using LinkedDataset.Pipeline.Landing;

namespace LinkedDataset.Pipeline.Orchestration;

/// <summary>Changes the landing registry: load, change, save, under whatever lock the caller's processes share.</summary>
public interface IRegistryWriter
{
    /// <summary>Applies <paramref name="change"/> to the registry and saves it (<see cref="LandingRegistry.Update{T}"/>).</summary>
    T Update<T>(Func<LandingRegistry, T> change);
}
