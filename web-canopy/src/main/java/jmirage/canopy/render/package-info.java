/**
 * The site built from a snapshot in one pure function, {@link jmirage.canopy.render.SiteBuilder#build}:
 * every page, the Atom feed and the sitemap rendered, tagged and gzipped ahead, so the shell answers
 * a request with {@link jmirage.canopy.render.Site#lookup}.
 */
package jmirage.canopy.render;
