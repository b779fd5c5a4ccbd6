using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace LinkedDataset.Jobs.Hosting;

/// <summary>
/// Hangfire's log provider is process-wide (static), but a host's logger factory is disposed with
/// the host. This bridge sends Hangfire's messages to the host's loggers and goes quiet once they are
/// disposed, so a host that stopped cannot break the next one in the same process (as in the tests).
/// </summary>
public sealed class HangfireLogBridge(ILoggerFactory loggers) : ILogProvider
{
    public ILog GetLogger(string name) => new Log(loggers, name);

    private sealed class Log(ILoggerFactory loggers, string name) : ILog
    {
        private ILogger? logger;

        bool ILog.Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception)
        {
            try
            {
                logger ??= loggers.CreateLogger(name);
                var level = logLevel switch
                {
                    HangfireLevel.Trace => MsLevel.Trace,
                    HangfireLevel.Debug => MsLevel.Debug,
                    HangfireLevel.Info => MsLevel.Information,
                    HangfireLevel.Warn => MsLevel.Warning,
                    HangfireLevel.Error => MsLevel.Error,
                    _ => MsLevel.Critical,
                };
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

                logger.Log(level, exception, "{Message}", messageFunc());
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
