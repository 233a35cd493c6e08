/**
 * The content repository as the core reads it (issue 19, after Canopy): a {@link jmirage.canopy.content.Snapshot}
 * of files and their git dates in, {@link jmirage.canopy.content.Content} out (pages, categories,
 * tags, redirects, static files) with a {@link jmirage.canopy.content.Problem} for every file that
 * could not be read. Pure: no clock, no file, no device.
 */
package jmirage.canopy.content;
