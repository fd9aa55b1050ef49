/** The edx runner: the entry point of the runner image, which runs one TaskJob in a pod. */
package dev.edx.provider.k8s.runner;
