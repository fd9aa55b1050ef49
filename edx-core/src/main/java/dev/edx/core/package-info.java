/**
 * The edx implementation core: {@link dev.edx.core.Environments} and {@link
 * dev.edx.core.EnvironmentLoader} open, plan, apply and destroy environments declared in {@link
 * dev.edx.core.EnvironmentSpec}s, with providers from {@link dev.edx.core.ProviderRegistry}.
 */
package dev.edx.core;
